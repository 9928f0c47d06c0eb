// Who reads a report. Students (check, CI formats, Gradescope's visible entries) must learn nothing of a hidden
// test but that it failed and what it cost; instructors (json) keep everything.
#include "report.hpp"

#include <set>

namespace shm::report {

grading::Grade for_students(const grading::Grade& grade) {
  grading::Grade shown = grade;
  std::set<std::string> hidden;
  int n = 0;
  for (auto& t : shown.tests) {
    if (!t.hidden) continue;
    hidden.insert(t.name);
    t.name = "hidden test " + std::to_string(++n);
    if (t.status != engine::TestStatus::Passed) t.output.clear();
    t.rule.clear(), t.rule_zh.clear();
    t.name_zh = "隐藏测试 " + std::to_string(n);
  }
  for (auto& f : shown.findings) {
    if (!hidden.count(f.test)) continue;
    // The finding's id, place and values would say what the test did: only that it failed, and its cost, remain.
    f = findings::Finding{.id = "hidden-test", .severity = f.severity, .points = f.points};
  }
  return shown;
}

bool from_hidden_test(const grading::Grade& grade, const findings::Finding& f) {
  for (const auto& t : grade.tests)
    if (t.hidden && t.name == f.test) return true;
  return false;
}

}  // namespace shm::report
