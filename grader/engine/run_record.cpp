#include "run_record.hpp"

namespace shm::engine {

namespace {

using json = nlohmann::ordered_json;

json access_to_json(const race::RaceAccess& a) {
  return {{"pid", a.pid},   {"program", a.program}, {"write", a.write},
          {"file", a.file}, {"line", a.line},       {"function", a.function}, {"via", a.via}};
}

race::RaceAccess access_from_json(const json& j) {
  race::RaceAccess a;
  a.pid = j.at("pid").get<int>();
  a.program = j.value("program", "");
  a.write = j.at("write").get<bool>();
  a.file = j.at("file").get<std::string>();
  a.line = j.at("line").get<int>();
  a.function = j.value("function", "");
  a.via = j.value("via", "");
  return a;
}

TestStatus status_from_name(const std::string& name) {
  for (int s = 0; s <= int(TestStatus::Skipped); s++)
    if (name == test_status_name(TestStatus(s))) return TestStatus(s);
  throw std::invalid_argument("unknown test status '" + name + "'");
}

}  // namespace

json run_to_json(const RunResult& r) {
  json races = json::array(), misuse = json::array();
  for (const auto& m : r.lock_misuse) misuse.push_back({{"kind", m.kind}, {"object", m.object}, {"file", m.file}, {"line", m.line}});
  for (const auto& race : r.races)
    races.push_back({{"object", race.object}, {"offset", race.offset}, {"size", race.size},
                     {"access", access_to_json(race.access)}, {"previous", access_to_json(race.previous)},
                     {"threads_only", race.threads_only}, {"initialisation", race.initialisation}});
  return {{"test", r.test},     {"repeat", r.repeat},   {"shm_name", r.shm_name}, {"command", r.command},
          {"status", test_status_name(r.status)}, {"why", r.why}, {"outcome", sandbox::to_json(r.outcome, true)},
          {"races", races},     {"lock_misuse", misuse}, {"seed", r.seed}};
}

RunResult run_from_json(const json& j) {
  RunResult r;
  r.test = j.at("test");
  r.repeat = j.at("repeat");
  r.shm_name = j.at("shm_name");
  r.command = j.at("command");
  r.status = status_from_name(j.at("status"));
  r.why = j.at("why");
  r.outcome = sandbox::outcome_from_json(j.at("outcome"));
  for (const auto& race : j.at("races"))
    r.races.push_back({race.at("object").get<std::string>(), race.at("offset").get<uint64_t>(),
                       race.at("size").get<unsigned>(), access_from_json(race.at("access")),
                       access_from_json(race.at("previous")), race.at("threads_only").get<bool>(),
                       race.value("initialisation", false)});
  for (const auto& m : j.at("lock_misuse"))
    r.lock_misuse.push_back({m.at("kind").get<std::string>(), m.at("object").get<std::string>(),
                             m.at("file").get<std::string>(), m.at("line").get<int>()});
  r.seed = j.at("seed");
  return r;
}

}  // namespace shm::engine
