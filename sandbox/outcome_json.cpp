// The verdict record's one serializer: `shmgrade run --json` and the grader's workers both use it.
#include "sandbox.hpp"

namespace shm::sandbox {

namespace {
using json = nlohmann::ordered_json;
json or_null(bool present, json value) { return present ? std::move(value) : json(nullptr); }
}  // namespace

json to_json(const Outcome& o, bool with_output) {
  json violations = json::array(), leftovers = json::array();
  for (const auto& v : o.violations) violations.push_back({{"pid", v.pid}, {"syscall", v.syscall}, {"abi", v.abi}});
  for (const auto& l : o.leftovers) leftovers.push_back({{"kind", l.kind}, {"name", l.name}, {"size", l.size}});
  json j = {{"verdict", verdict_name(o.verdict)},
            {"exit_code", or_null(o.exit_code >= 0, o.exit_code)},
            {"signal", or_null(o.signal != 0, o.signal)},
            {"wall_s", o.wall_s},
            {"cpu_s", o.cpu_s},
            {"peak_memory_bytes", o.peak_memory_bytes},
            {"limit_hit", or_null(!o.limit_hit.empty(), o.limit_hit)},
            {"violations", violations},
            {"violation_count", o.violation_count},
            {"violations_truncated", o.violation_count > o.violations.size()},
            {"stdout_truncated", o.out_truncated},
            {"stderr_truncated", o.err_truncated},
            {"ipc_leftovers", leftovers},
            {"workdir", o.workdir},
            {"notes", o.notes},
            {"left_behind", o.left_behind}};
  if (!o.error.empty()) j["error"] = o.error;
  if (with_output) {
    json events = json::array();
    for (const auto& e : o.events) events.push_back(trace::to_json(e));
    j["stdout"] = o.out;
    j["stderr"] = o.err;
    j["events"] = events;
  }
  return j;
}

Outcome outcome_from_json(const json& j) {
  Outcome o;
  const std::string verdict = j.at("verdict");
  for (int v = 0; v <= int(Verdict::InternalError); v++)
    if (verdict == verdict_name(Verdict(v))) o.verdict = Verdict(v);
  o.exit_code = j.at("exit_code").is_null() ? -1 : j.at("exit_code").get<int>();
  o.signal = j.at("signal").is_null() ? 0 : j.at("signal").get<int>();
  o.wall_s = j.at("wall_s");
  o.cpu_s = j.at("cpu_s");
  o.peak_memory_bytes = j.at("peak_memory_bytes");
  o.limit_hit = j.at("limit_hit").is_null() ? "" : j.at("limit_hit").get<std::string>();
  for (const auto& v : j.at("violations")) o.violations.push_back({v.at("pid"), v.at("syscall"), v.at("abi")});
  o.violation_count = j.at("violation_count");
  o.out_truncated = j.at("stdout_truncated");
  o.err_truncated = j.at("stderr_truncated");
  for (const auto& l : j.at("ipc_leftovers")) o.leftovers.push_back({l.at("kind"), l.at("name"), l.at("size")});
  o.workdir = j.at("workdir");
  o.notes = j.at("notes").get<std::vector<std::string>>();
  o.left_behind = j.at("left_behind");
  o.error = j.value("error", "");
  o.out = j.value("stdout", "");
  o.err = j.value("stderr", "");
  if (j.contains("events"))
    for (const auto& e : j.at("events")) o.events.push_back(trace::event_from_json(e));
  return o;
}

}  // namespace shm::sandbox
