// Gradescope's results.json (autograder specification): the total as "score" (it overrides the tests' sum,
// so that finding deductions count), one test per spec test with its visibility, and one zero-point test per
// finding that says what it cost.
#include "report.hpp"
#include "text.hpp"

namespace shm::report {

std::string to_gradescope(const grading::Grade& g, const Options& o) {
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const auto& t : g.tests) {
    std::string output = t.output;
    const std::string& rule = rule_of(t, o);
    if (t.status != engine::TestStatus::Passed && !rule.empty()) output = "rule: " + rule + (output.empty() ? "" : "\n" + output);
    for (const auto* f : findings_of_test(g, t.name)) output += (output.empty() ? "" : "\n") + where_of(*f) + " " + message_of(*f, o);
    tests.push_back({{"name", name_of(t, o)},
                     {"score", t.score},
                     {"max_score", t.max_score},
                     {"status", t.status == engine::TestStatus::Passed ? "passed" : "failed"},
                     {"output", output},
                     {"visibility", t.hidden ? "hidden" : "visible"}});
  }
  for (const auto& f : g.findings) {
    if (from_hidden_test(g, f)) continue;  // told below, as students may see it
    const std::string where = where_of(f);
    tests.push_back({{"name", std::string(catalogue::severity_name(f.severity)) + ": " + f.id + (where.empty() ? "" : " at " + where)},
                     {"score", 0},
                     {"max_score", 0},
                     {"status", f.severity == catalogue::Severity::Error ? "failed" : "passed"},
                     {"output", message_of(f, o) + "\nHint: " + hint_of(f, o) + (f.points > 0 ? "\nDeducted: " + number(f.points) : "") +
                                    "\nMore: shmgrade explain " + f.id},
                     {"visibility", "visible"}});
  }
  // What a hidden test showed: in full for the instructor, and that it failed and what it cost for the student.
  for (const auto& f : g.findings) {
    if (!from_hidden_test(g, f)) continue;
    tests.push_back({{"name", f.id + (where_of(f).empty() ? "" : " at " + where_of(f)) + " (" + f.test + ")"},
                     {"score", 0}, {"max_score", 0}, {"status", "failed"},
                     {"output", message_of(f, o) + (f.points > 0 ? "\nDeducted: " + number(f.points) : "")},
                     {"visibility", "hidden"}});
    const findings::Finding told{.id = "hidden-test", .severity = f.severity, .points = f.points};
    tests.push_back({{"name", std::string(catalogue::severity_name(f.severity)) + ": hidden-test"},
                     {"score", 0}, {"max_score", 0}, {"status", "failed"},
                     {"output", message_of(told, o) + (f.points > 0 ? "\nDeducted: " + number(f.points) : "")},
                     {"visibility", "visible"}});
  }
  nlohmann::ordered_json j = {{"score", g.score},
                              {"output", std::string("shmgrade: ") + grading::grade_status_name(g.status) +
                                             (g.message.empty() ? "" : "\n" + g.message)},
                              {"stdout_visibility", "hidden"},
                              {"tests", tests}};
  return json_text(j, 2) + "\n";
}

}  // namespace shm::report
