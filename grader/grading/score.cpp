#include "score.hpp"

#include <algorithm>
#include <utility>

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

bool racing(const spec::TestSpec& t) { return t.mode == spec::TestMode::Race || t.mode == spec::TestMode::Stress; }

// How a test runs the program apart from its counts: ["bsd"] for `bsd 4 2000`, the script for a script. Racing
// tests of one variant run the same code paths with other numbers of processes or iterations.
std::vector<std::string> variant(const spec::TestSpec& t) {
  std::vector<std::string> words{t.script};
  for (const auto& a : t.args)
    if (a.empty() || a.find_first_not_of("0123456789") != std::string::npos) words.push_back(a);
  return words;
}

// A race or stress test that passed while a racing run of its variant found a data race fails: its output was
// right by the schedule's luck. The verdict comes from every racing run of the variant, not the test's own: which
// run meets the race is its schedule's, so a test's own run would flap between gradings. It names no line (the
// data-race findings do, and which lines they are is the schedule's). The race is charged once: the finding costs
// only what it costs beyond the points those tests lost.
void charge_races_once(const spec::AssignmentSpec& spec, const std::vector<RunResult>& runs, Grade& g,
                       std::vector<findings::Finding>& findings) {
  double lost = 0;
  for (size_t i = 0; i < spec.tests.size(); i++) {
    TestResult& t = g.tests[i];
    if (!racing(spec.tests[i]) || t.status != TestStatus::Passed) continue;
    const bool raced = std::any_of(runs.begin(), runs.end(), [&](const RunResult& r) {
      const spec::TestSpec& other = spec.tests.at(r.test);
      return !r.races.empty() && racing(other) && variant(other) == variant(spec.tests[i]);
    });
    if (!raced) continue;
    t.status = TestStatus::Failed;
    g.score -= t.score;
    lost += std::exchange(t.score, 0);
    t.output = "the race detector found a data race in this grading's runs of the program: two processes or "
               "threads accessed the same shared bytes, at least one writing, with no lock or semaphore ordering "
               "them (the data-race findings name the lines); while it is there, a right output is the schedule's luck";
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
