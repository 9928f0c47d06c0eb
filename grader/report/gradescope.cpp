// Gradescope's results.json (autograder specification): the total as "score" (it overrides the tests' sum,
// so that finding deductions count), one test per spec test with its visibility, and one zero-point test per
// finding that says what it cost.
#include "report.hpp"

namespace shm::report {

std::string to_gradescope(const engine::Grade& g, const Options& o) {
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const auto& t : g.tests) {
    std::string output = t.output;
    for (const auto* f : findings_of_test(g, t.name)) output += (output.empty() ? "" : "\n") + where_of(*f) + " " + message_of(*f, o);
    tests.push_back({{"name", t.name},
                     {"score", t.score},
                     {"max_score", t.max_score},
                     {"status", t.status == engine::TestStatus::Passed ? "passed" : "failed"},
                     {"output", output},
                     {"visibility", t.hidden ? "hidden" : "visible"}});
  }
  for (const auto& f : g.findings) {
    const std::string where = where_of(f);
    tests.push_back({{"name", std::string(findings::severity_name(f.severity)) + ": " + f.id + (where.empty() ? "" : " at " + where)},
                     {"score", 0},
                     {"max_score", 0},
                     {"status", f.severity == findings::Severity::Error ? "failed" : "passed"},
                     {"output", message_of(f, o) + "\nHint: " + hint_of(f, o) + (f.points > 0 ? "\nDeducted: " + number(f.points) : "") +
                                    "\nMore: shmgrade explain " + f.id},
                     {"visibility", "visible"}});
  }
  nlohmann::ordered_json j = {{"score", g.score},
                              {"output", std::string("shmgrade: ") + engine::grade_status_name(g.status) +
                                             (g.message.empty() ? "" : "\n" + g.message)},
                              {"stdout_visibility", "hidden"},
                              {"tests", tests}};
  return j.dump(2) + "\n";
}

}  // namespace shm::report
