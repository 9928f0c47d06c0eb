#include "run_record.hpp"

namespace shm::engine {

nlohmann::ordered_json run_to_json(const RunResult& r) {
  const sandbox::Outcome& o = r.outcome;
  nlohmann::ordered_json violations = nlohmann::ordered_json::array(), leftovers = nlohmann::ordered_json::array(),
                 events = nlohmann::ordered_json::array();
  for (const auto& v : o.violations) violations.push_back({v.pid, v.syscall});
  for (const auto& l : o.leftovers) leftovers.push_back({l.kind, l.name, l.size});
  for (const auto& e : o.events) events.push_back(trace::to_json(e));
  nlohmann::ordered_json races = nlohmann::ordered_json::array();
  auto access = [](const RaceAccess& a) { return nlohmann::ordered_json{a.pid, a.write, a.file, a.line}; };
  nlohmann::ordered_json misuse = nlohmann::ordered_json::array();
  for (const auto& m : r.lock_misuse) misuse.push_back({m.kind, m.object, m.file, m.line});
  for (const auto& race : r.races)
    races.push_back({race.object, race.offset, race.size, access(race.access), access(race.previous), race.threads_only});
  return {{"test", r.test},          {"repeat", r.repeat},         {"shm_name", r.shm_name},
          {"status", int(r.status)}, {"why", r.why},               {"verdict", int(o.verdict)},
          {"exit_code", o.exit_code}, {"signal", o.signal},        {"wall_s", o.wall_s},
          {"cpu_s", o.cpu_s},        {"peak", o.peak_memory_bytes}, {"limit_hit", o.limit_hit},
          {"violations", violations}, {"out", o.out},              {"err", o.err},
          {"out_truncated", o.out_truncated}, {"err_truncated", o.err_truncated},
          {"leftovers", leftovers},  {"notes", o.notes},           {"error", o.error},
          {"events", events}, {"races", races}, {"lock_misuse", misuse}, {"seed", r.seed}};
}

RunResult run_from_json(const nlohmann::ordered_json& j) {
  RunResult r;
  r.test = j.at("test");
  r.repeat = j.at("repeat");
  r.shm_name = j.at("shm_name");
  r.status = TestStatus(j.at("status").get<int>());
  r.why = j.at("why");
  sandbox::Outcome& o = r.outcome;
  o.verdict = sandbox::Verdict(j.at("verdict").get<int>());
  o.exit_code = j.at("exit_code");
  o.signal = j.at("signal");
  o.wall_s = j.at("wall_s");
  o.cpu_s = j.at("cpu_s");
  o.peak_memory_bytes = j.at("peak");
  o.limit_hit = j.at("limit_hit");
  for (const auto& v : j.at("violations")) o.violations.push_back({v[0].get<int>(), v[1].get<std::string>()});
  o.out = j.at("out");
  o.err = j.at("err");
  o.out_truncated = j.at("out_truncated");
  o.err_truncated = j.at("err_truncated");
  for (const auto& l : j.at("leftovers")) o.leftovers.push_back({l[0].get<std::string>(), l[1].get<std::string>(), l[2].get<uint64_t>()});
  o.notes = j.at("notes").get<std::vector<std::string>>();
  o.error = j.at("error");
  for (const auto& e : j.at("events")) o.events.push_back(trace::event_from_json(e));
  auto access = [](const nlohmann::ordered_json& a) {
    return RaceAccess{a[0].get<int>(), a[1].get<bool>(), a[2].get<std::string>(), a[3].get<int>()};
  };
  for (const auto& race : j.at("races"))
    r.races.push_back({race[0].get<std::string>(), race[1].get<uint64_t>(), race[2].get<unsigned>(), access(race[3]),
                       access(race[4]), race[5].get<bool>()});
  for (const auto& m : j.at("lock_misuse"))
    r.lock_misuse.push_back({m[0].get<std::string>(), m[1].get<std::string>(), m[2].get<std::string>(), m[3].get<int>()});
  r.seed = j.at("seed");
  return r;
}

}  // namespace shm::engine
