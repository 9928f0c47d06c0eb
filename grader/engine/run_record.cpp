#include "run_record.hpp"

namespace shm::engine {

nlohmann::ordered_json run_to_json(const RunResult& r) {
  nlohmann::ordered_json races = nlohmann::ordered_json::array();
  auto access = [](const race::RaceAccess& a) { return nlohmann::ordered_json{a.pid, a.write, a.file, a.line}; };
  nlohmann::ordered_json misuse = nlohmann::ordered_json::array();
  for (const auto& m : r.lock_misuse) misuse.push_back({m.kind, m.object, m.file, m.line});
  for (const auto& race : r.races)
    races.push_back({race.object, race.offset, race.size, access(race.access), access(race.previous), race.threads_only});
  return {{"test", r.test},     {"repeat", r.repeat}, {"shm_name", r.shm_name},
          {"status", int(r.status)}, {"why", r.why},  {"outcome", sandbox::to_json(r.outcome, true)},
          {"races", races},     {"lock_misuse", misuse}, {"seed", r.seed}};
}

RunResult run_from_json(const nlohmann::ordered_json& j) {
  RunResult r;
  r.test = j.at("test");
  r.repeat = j.at("repeat");
  r.shm_name = j.at("shm_name");
  r.status = TestStatus(j.at("status").get<int>());
  r.why = j.at("why");
  r.outcome = sandbox::outcome_from_json(j.at("outcome"));
  auto access = [](const nlohmann::ordered_json& a) {
    return race::RaceAccess{a[0].get<int>(), a[1].get<bool>(), a[2].get<std::string>(), a[3].get<int>()};
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
