#include "json.hpp"

namespace shm::report {

nlohmann::ordered_json to_json(const engine::Grade& g) {
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const auto& t : g.tests)
    tests.push_back({{"name", t.name}, {"score", t.score}, {"max_score", t.max_score},
                     {"status", engine::test_status_name(t.status)}, {"output", t.output}, {"hidden", t.hidden}});
  nlohmann::ordered_json j = {{"schema", "shmgrade-result/1"},
                              {"assignment", g.assignment},
                              {"submission", g.submission},
                              {"status", engine::grade_status_name(g.status)},
                              {"score", g.score},
                              {"max_score", g.max_score},
                              {"tests", tests},
                              {"findings", nlohmann::ordered_json::array()},
                              {"elapsed_s", g.elapsed_s}};
  if (!g.message.empty()) j["message"] = g.message;
  return j;
}

}  // namespace shm::report
