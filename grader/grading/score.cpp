#include "score.hpp"

#include <algorithm>
#include <utility>

#include "findings/analyze.hpp"
#include "text.hpp"

namespace shm::grading {

using engine::RunResult;
using engine::TestStatus;

namespace {

TestResult summarize(const spec::TestSpec& test, const std::vector<RunResult>& runs) {
  TestResult t{test.name, TestStatus::Passed, test.points, test.points, "", test.hidden, test.rule, test.rule_zh,
               test.name_zh};
  for (const auto& r : runs) {
    if (r.status == TestStatus::Passed) continue;
    t.status = r.status;
    t.score = 0;
    t.output = (test.repeat > 1 ? "run " + std::to_string(r.repeat + 1) + " of " + std::to_string(test.repeat) + ": " : "") + r.why;
    // What was run, so that a student can run it by hand.
    if (!r.command.empty()) t.output += "\nran: " + r.command;
    for (const auto& injection : test.injections) t.output += "\ninjected: " + trace::describe_injection(injection);
  }
  return t;
}

// Every test a data race decides fails: a race or stress test whose variant's racing runs found one, and an
// output test naming such a test as its race_test (its output, right or wrong, was the schedule's). The verdict
// comes from every racing run of the variant, not the test's own: which run meets a race is its schedule's, so a
// test's own run would flap between gradings. A racing test keeps its own failure (a stress test's is seeded);
// an output test's is replaced, being this grading's luck. The race is charged once: the data-race finding costs
// only what it costs beyond the points of the tests it decided.
void charge_races_once(const spec::AssignmentSpec& spec, const std::vector<RunResult>& runs, Grade& g,
                       std::vector<findings::Finding>& findings) {
  const std::vector<bool> decided = findings::decided_by_race(spec, runs);
  double lost = 0;
  for (size_t i = 0; i < spec.tests.size(); i++) {
    if (!decided[i]) continue;
    TestResult& t = g.tests[i];
    const spec::TestSpec& test = spec.tests[i];
    lost += test.points;
    g.score -= std::exchange(t.score, 0);
    t.race_decided = true;
    if (t.status != TestStatus::Passed && spec::racing(test)) continue;
    t.status = TestStatus::Failed;
    t.output = "the race detector found a data race in this grading's runs of the program " +
               (test.race_test.empty() ? std::string("run this way") : "run as in test \"" + test.race_test + "\"") +
               ": two processes or threads accessed the same shared bytes, at least one writing, with no lock or "
               "semaphore ordering them (the data-race findings name the lines); while it is there, a right output "
               "is the schedule's luck";
  }
  for (auto& f : findings)
    if (f.id == "data-race" && f.points > 0) f.points = std::max(0.0, f.points - std::exchange(lost, 0.0));
}

}  // namespace

Grade score(const spec::AssignmentSpec& spec, const std::vector<RunResult>& runs, std::vector<findings::Finding> findings) {
  Grade g;
  g.status = GradeStatus::Graded;
  g.max_score = spec.max_score();
  for (size_t i = 0; i < spec.tests.size(); i++) {
    std::vector<RunResult> mine;
    for (const auto& r : runs)
      if (r.test == i) mine.push_back(r);
    g.tests.push_back(summarize(spec.tests[i], mine));
    g.score += g.tests.back().score;
  }
  charge_races_once(spec, runs, g, findings);
  for (const auto& f : findings) g.score -= f.points;
  g.score = std::max(0.0, g.score);
  g.findings = std::move(findings);
  return g;
}

Grade not_graded(const spec::AssignmentSpec& spec, GradeStatus status, const std::string& message) {
  Grade g;
  g.assignment = spec.name;
  g.status = status;
  g.max_score = spec.max_score();
  g.message = message;
  for (const auto& t : spec.tests)
    g.tests.push_back({t.name, TestStatus::Skipped, 0, t.points, "not run: " + std::string(grade_status_name(status)), t.hidden});
  return g;
}

const char* grade_status_name(GradeStatus s) {
  static const char* const names[] = {"graded", "compile-error", "rejected", "internal-error"};
  return names[int(s)];
}


void make_showable(Grade& g) {
  for (std::string* s : {&g.assignment, &g.submission, &g.main_source, &g.message}) *s = valid_utf8(*s);
  for (auto& t : g.tests) t.name = valid_utf8(t.name), t.output = valid_utf8(t.output);
  for (auto& f : g.findings) {
    f.file = valid_utf8(f.file);
    f.test = valid_utf8(f.test);
    for (auto& [key, value] : f.detail) value = valid_utf8(value);
  }
}

}  // namespace shm::grading
