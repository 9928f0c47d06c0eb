#include "late.hpp"

#include <cmath>

#define TOML_EXCEPTIONS 0  // errors come back as values, as in assignment_spec.cpp
#include <toml++/toml.h>

#include <algorithm>
#include <set>

#include "files.hpp"
#include "roster.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

namespace {

int64_t epoch_seconds(const toml::date_time& t) {
  // days_from_civil (Howard Hinnant's algorithm) for the date, then the time and the offset.
  const int y = t.date.year - (t.date.month <= 2), m = t.date.month;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * unsigned(m + (m > 2 ? -3 : 9)) + 2) / 5 + t.date.day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const int64_t days = int64_t(era) * 146097 + int64_t(doe) - 719468;
  return days * 86400 + t.time.hour * 3600 + t.time.minute * 60 + t.time.second - int64_t(t.offset->minutes) * 60;
}

// TEXT as a TOML date-time with an offset ("2026-11-20T23:59:00Z"), or an error saying what is wanted.
Result<int64_t> parse_due(const std::string& text) {
  toml::parse_result parsed = toml::parse("due = " + text);
  if (parsed) {
    auto dt = parsed.table()["due"].value<toml::date_time>();
    if (dt && dt->offset) return epoch_seconds(*dt);
  }
  return Error{"'" + text + "' is not a date-time with an offset, e.g. 2026-11-20T23:59:00+08:00"};
}

}  // namespace

Result<LatePolicy> read_late_policy(const fs::path& file) {
  toml::parse_result parsed = toml::parse_file(file.string());
  if (!parsed) {
    const auto& err = parsed.error();
    return Error{file.string() + ":" + std::to_string(err.source().begin.line) + ": " + std::string(err.description())};
  }
  const toml::table& t = parsed.table();
  auto at = [&](const char* key) { return file.string() + ":" + std::to_string(t[key].node()->source().begin.line) + ": " + key; };
  static const std::set<std::string> kKeys = {"due", "grace_minutes", "penalty_per_day", "penalty_per_hour", "cap",
                                              "extensions"};
  for (auto&& [key, node] : t)
    if (!kKeys.count(std::string(key.str())))
      return Error{file.string() + ":" + std::to_string(key.source().begin.line) + ": " + std::string(key.str()) +
                   ": unknown key (known: due, grace_minutes, penalty_per_day, penalty_per_hour, cap, extensions)"};
  LatePolicy p;
  auto due = t["due"].value<toml::date_time>();
  if (!t.contains("due")) return Error{file.string() + ": due: missing (the due date, e.g. 2026-11-20T23:59:00Z)"};
  if (!due || !due->offset) return Error{at("due") + ": a date-time with an offset, e.g. 2026-11-20T23:59:00+08:00"};
  p.due = epoch_seconds(*due);
  auto number = [&](const char* key, double& out, double scale) -> Status {
    if (!t.contains(key)) return ok();
    auto v = t[key].value<double>();
    if (!v || *v < 0) return Error{at(key) + ": a number, 0 or more"};
    out = *v * scale;
    return ok();
  };
  double grace = 0, per_day = -1, per_hour = -1;
  if (auto s = number("grace_minutes", grace, 60); !s) return s.error();
  if (auto s = number("penalty_per_day", per_day, 1); !s) return s.error();
  if (auto s = number("penalty_per_hour", per_hour, 1); !s) return s.error();
  if (auto s = number("cap", p.cap_percent, 1); !s) return s.error();
  if (per_day >= 0 && per_hour >= 0) return Error{at("penalty_per_hour") + ": give penalty_per_day or penalty_per_hour, not both"};
  p.grace_s = int64_t(grace);
  p.percent_per_unit = per_hour >= 0 ? per_hour : std::max(per_day, 0.0);
  p.unit_s = per_hour >= 0 ? 3600 : 86400;
  if (p.cap_percent > 100) return Error{at("cap") + ": a percentage, at most 100"};
  if (t.contains("extensions")) {
    auto name = t["extensions"].value<std::string>();
    if (!name) return Error{at("extensions") + ": the name of a CSV file of id,due rows"};
    const fs::path csv = file.parent_path() / *name;
    auto text = read_whole_file(csv);
    if (!text) return Error{at("extensions") + ": cannot " + text.error().message()};
    auto rows = read_csv(*text, csv.string());
    if (!rows) return rows.error();
    for (size_t r = 0; r < rows->size(); r++) {
      const auto& row = (*rows)[r];
      if (r == 0 && !row.empty() && row[0] == "id") continue;  // a header
      const std::string where = csv.string() + ":" + std::to_string(r + 1);
      if (row.size() < 2 || row[0].empty()) return Error{where + ": want id,due"};
      auto when = parse_due(row[1]);
      if (!when) return Error{where + ": " + when.error().message()};
      p.extensions[row[0]] = *when;
    }
  }
  return p;
}

Lateness lateness(const LatePolicy& policy, const std::string& id, int64_t submitted_at) {
  auto ext = policy.extensions.find(id);
  const int64_t due = ext != policy.extensions.end() ? ext->second : policy.due;
  Lateness l;
  if (submitted_at <= due + policy.grace_s) return l;
  l.late_by_s = submitted_at - due;
  const int64_t units = (l.late_by_s + policy.unit_s - 1) / policy.unit_s;  // a day or part of one
  l.penalty_percent = std::min(policy.cap_percent, double(units) * policy.percent_per_unit);
  return l;
}

double score_after_late(double score, double penalty_percent) {
  return std::round(score * (100 - penalty_percent)) / 100;
}

}  // namespace shm::batch
