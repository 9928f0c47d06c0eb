#include "reports.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <optional>
#include <set>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "trace/tracer.hpp"

namespace shm::race {

namespace {

// The reports are in the program's work dir, where the program can write too: every field is checked for its
// type, and what is read is bounded.
constexpr size_t kMaxReportBytes = 4 << 20, kMaxRaces = 100, kMaxMisuse = 100, kMaxObjectName = 256,
                 kMaxTsanLine = 4096, kMaxTsanLogs = 16;

std::string read_prefix(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string text(kMaxReportBytes, '\0');
  in.read(text.data(), std::streamsize(text.size()));
  text.resize(size_t(in.gcount()));
  return text;
}

uint64_t unsigned_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

std::string string_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>().substr(0, kMaxObjectName) : "";
}

}  // namespace

XraceReport read_xrace_report(const std::filesystem::path& report,
                              const std::map<std::string, std::filesystem::path>& programs) {
  XraceReport result;
  std::vector<Race>& races = result.races;
  // Each site is an offset in the program that made the access: resolved through that program's DWARF.
  struct Site {
    std::string program;
    uint64_t offset;
    RaceAccess* access;  // or, when null, lock_misuse[misuse]'s
    size_t misuse;
    bool via = false;    // the access's provided helper site, not the access's own
  };
  std::vector<Site> sites;
  races.reserve(kMaxRaces);  // the Sites point into it
  std::istringstream lines(read_prefix(report));
  for (std::string line; std::getline(lines, line) && races.size() < kMaxRaces;) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object()) continue;
    if (j.contains("limit")) {
      const std::string what = string_field(j, "limit");
      if (!what.empty() && result.limits.size() < 8) result.limits.push_back({what, unsigned(unsigned_field(j, "max"))});
      continue;
    }
    if (j.contains("kind")) {
      const std::string kind = string_field(j, "kind");
      if (kind.empty() || result.lock_misuse.size() >= kMaxMisuse) continue;
      result.lock_misuse.push_back({kind, string_field(j, "object"), "", 0});
      sites.push_back({string_field(j, "program"), unsigned_field(j, "site"), nullptr, result.lock_misuse.size() - 1});
      continue;
    }
    auto access = j.find("access"), previous = j.find("previous");
    if (access == j.end() || previous == j.end() || !access->is_object() || !previous->is_object()) continue;
    Race& race = races.emplace_back();
    race.object = string_field(j, "object");
    race.offset = unsigned_field(j, "offset");
    race.size = unsigned(unsigned_field(j, "size"));
    auto initialisation = j.find("initialisation");
    race.initialisation = initialisation != j.end() && initialisation->is_boolean() && initialisation->get<bool>();
    for (auto [side, into] : {std::pair{&*access, &race.access}, {&*previous, &race.previous}}) {
      into->pid = pid_t(unsigned_field(*side, "pid"));
      into->program = string_field(*side, "program");
      auto write = side->find("write");
      into->write = write != side->end() && write->is_boolean() && write->get<bool>();
      sites.push_back({into->program, unsigned_field(*side, "site"), into, 0});
      if (const uint64_t via = unsigned_field(*side, "via")) sites.push_back({into->program, via, into, 0, true});
    }
  }
  // One pass over each program's DWARF for all its sites. A report without program names is one program's.
  for (const auto& [name, binary] : programs) {
    std::vector<const Site*> of_program;
    for (const auto& site : sites)
      if (site.program == name || (programs.size() == 1 && !programs.count(site.program))) of_program.push_back(&site);
    std::vector<uint64_t> offsets;
    for (const Site* site : of_program) offsets.push_back(site->offset);
    const auto located = trace::call_sites_offline(binary, offsets, "/work");
    for (size_t i = 0; i < of_program.size(); i++) {
      const Site& site = *of_program[i];
      if (site.via) {
        if (!located[i].file.empty()) site.access->via = located[i].file + ":" + std::to_string(located[i].line);
      } else if (site.access) {
        site.access->file = located[i].file;
        site.access->line = located[i].line;
        site.access->function = located[i].function;
        site.access->program = name;
      } else {
        result.lock_misuse[site.misuse].file = located[i].file;
        result.lock_misuse[site.misuse].line = located[i].line;
      }
    }
  }
  // xrace reports only sites in the programs' own code, which carries line tables: a site that is not one
  // (or names no program of the run) was not written by xrace.
  std::erase_if(races, [](const Race& r) { return r.access.file.empty() || r.previous.file.empty(); });
  std::erase_if(result.lock_misuse, [](const LockMisuse& m) { return m.file.empty(); });
  return result;
}

std::string xrace_provided(const std::map<std::string, std::filesystem::path>& programs,
                           const std::vector<std::string>& provided) {
  std::string value;
  for (const auto& [name, binary] : programs) {
    // Ascending and merged where they touch, as xrace searches them.
    auto code = trace::code_ranges_offline(binary, provided, "/work");
    std::sort(code.begin(), code.end());
    std::vector<std::pair<uint64_t, uint64_t>> merged;
    for (const auto& range : code)
      if (!merged.empty() && range.first <= merged.back().second) merged.back().second = std::max(merged.back().second, range.second);
      else merged.push_back(range);
    std::string ranges;
    for (const auto& [low, high] : merged) {
      char range[48];
      snprintf(range, sizeof range, "%s%llx-%llx", ranges.empty() ? "" : ",", (unsigned long long)low,
               (unsigned long long)high);
      ranges += range;
    }
    if (!ranges.empty()) value += (value.empty() ? "" : ";") + name + "=" + ranges;
  }
  return value;
}

std::vector<Race> parse_tsan_reports(const std::string& text, const std::string& source_root,
                                     const std::vector<std::string>& provided) {
  const std::set<std::string> helpers(provided.begin(), provided.end());
  // "  Write of size 4 at 0x7b0c00000010 by thread T1:"  /  "  Previous read of size 4 at ... by main thread:"
  static const std::regex kAccess(R"(^  (Previous )?([Rr]ead|[Ww]rite|[Aa]tomic [Rr]ead|[Aa]tomic [Ww]rite) of size (\d+) at \S+ by .*:$)");
  // "    #0 work /work/./thr.c:4 (thr+0x11cf)"  or  "    #1 main /work/thr.c:8:5 (...)"
  static const std::regex kFrame(R"(^    #\d+ (\S+) (\S+?):(\d+)(?::\d+)? \(([^+)]*).*$)");
  static const std::regex kLocation(R"(^  Location is (.*?)( of size \d+)? at .*$)");
  std::vector<Race> races;
  std::istringstream lines(text);
  Race race;
  int side = -1;            // 0: the access, 1: the previous access, -1: outside them
  bool placed[2] = {false, false};
  std::optional<RaceAccess> in_helper[2];  // a side's first frame in a provided helper, while its caller is looked for
  bool in_report = false;
  pid_t pid = 0;
  // The side's frames are over: one only in helpers is placed at the first of them.
  auto settle = [&] {
    if (side >= 0 && !placed[side] && in_helper[side]) {
      RaceAccess& a = side ? race.previous : race.access;
      const bool write = a.write;
      a = *in_helper[side];
      a.write = write;
      placed[side] = true;
    }
    side = -1;
  };
  auto finish = [&] {
    settle();
    if (in_report && placed[0] && placed[1]) races.push_back(race);
    race = {};
    placed[0] = placed[1] = false;
    in_helper[0] = in_helper[1] = std::nullopt;
  };
  for (std::string line; std::getline(lines, line);) {
    // The log is in the program's work dir too. TSan's lines are short; std::regex recurses per character,
    // so a line a program made a megabyte long could exhaust the stack.
    if (line.size() > kMaxTsanLine) continue;
    std::smatch m;
    if (line.find("WARNING: ThreadSanitizer: data race") != std::string::npos) {
      finish();
      in_report = true;
      auto at = line.find("(pid=");
      pid = at == std::string::npos ? 0 : std::atoi(line.c_str() + at + 5);
      race.object = "memory of one process";
      race.threads_only = true;
    } else if (!in_report) {
      continue;
    } else if (line.rfind("==================", 0) == 0) {
      finish();
      in_report = false;
    } else if (std::regex_match(line, m, kAccess)) {
      settle();
      side = m[1].matched ? 1 : 0;
      RaceAccess& a = side ? race.previous : race.access;
      a.pid = pid;
      a.write = std::string(m[2]).find_first_of("Ww") != std::string::npos;
      race.size = unsigned(std::stoul(m[3]));
    } else if (side >= 0 && !placed[side] && std::regex_match(line, m, kFrame)) {
      const std::string file = m[2];
      // The submission's files: under SOURCE_ROOT, or relative as the compiler was given them. Not libc's
      // (absolute elsewhere) nor libtsan's ("../../../../src/libsanitizer/..."): look further up the stack.
      const bool ours = file.rfind(source_root + "/", 0) == 0 || (file[0] != '/' && file.rfind("../", 0) != 0);
      if (!ours) continue;
      RaceAccess& a = side ? race.previous : race.access;
      RaceAccess here = a;
      here.file = trace::relative_source(file.c_str(), source_root);
      here.line = std::stoi(m[3]);
      here.function = m[1];
      here.program = std::filesystem::path(std::string(m[4])).filename().string();  // the module: "(server+0x11cf)"
      if (trace::is_provided(helpers, here.file)) {  // a helper given to students: its caller is the place
        if (!in_helper[side]) in_helper[side] = here;
        continue;
      }
      if (in_helper[side]) here.via = in_helper[side]->file + ":" + std::to_string(in_helper[side]->line);
      a = here;
      placed[side] = true;
    } else if (std::regex_match(line, m, kLocation)) {
      settle();
      race.object = m[1];
    } else if (line.empty()) {
      settle();
    }
  }
  finish();
  return races;
}

std::vector<Race> read_tsan_logs(const std::filesystem::path& workdir, const std::vector<std::string>& provided) {
  std::vector<Race> races;
  size_t logs = 0;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(workdir, ec))
    if (entry.path().filename().string().rfind(".tsan.", 0) == 0 && ++logs <= kMaxTsanLogs) {
      auto found = parse_tsan_reports(read_prefix(entry.path()), "/work", provided);
      races.insert(races.end(), found.begin(), found.end());
    }
  return races;
}

}  // namespace shm::race
