#include "grade.hpp"

#include <algorithm>

#include "build.hpp"
#include "clock.hpp"
#include "files.hpp"
#include "findings/analyze.hpp"
#include "run_tests.hpp"
#include "text.hpp"

namespace shm::engine {

namespace fs = std::filesystem;

namespace {

TestResult summarize(const spec::TestSpec& test, const std::vector<RunResult>& runs) {
  TestResult t{test.name, TestStatus::Passed, test.points, test.points, "", test.hidden};
  for (const auto& r : runs) {
    if (r.status == TestStatus::Passed) continue;
    t.status = r.status;
    t.score = 0;
    t.output = (test.repeat > 1 ? "run " + std::to_string(r.repeat + 1) + " of " + std::to_string(test.repeat) + ": " : "") + r.why;
  }
  return t;
}

// The source a finding with no line of its own is shown at: the one named after the program (counter.c), else
// the first in build order.
std::string main_source(const spec::AssignmentSpec& spec, const Submission& s) {
  for (const auto& file : s.sources)
    if (fs::path(file).stem() == spec.program) return file;
  return s.sources.empty() ? "" : s.sources.front();
}

// The grade so far: the tests in RUNS scored, the others not finished.
Grade partial_grade(const spec::AssignmentSpec& spec, const std::vector<RunResult>& runs, const fs::path& submission,
                    uint64_t seed) {
  Grade g = score(spec, runs, {});
  size_t ended = 0;
  g.score = 0;
  for (size_t i = 0; i < g.tests.size(); i++) {
    const bool ran = std::any_of(runs.begin(), runs.end(), [&](const RunResult& r) { return r.test == i; });
    if (!ran) g.tests[i] = {spec.tests[i].name, TestStatus::Skipped, 0, spec.tests[i].points,
                            "not finished: the grading was cut short before this test ended", spec.tests[i].hidden};
    ended += ran;
    g.score += g.tests[i].score;
  }
  g.assignment = spec.name;
  g.submission = submission.string();
  g.seed = seed;
  g.message = "partial result: " + std::to_string(ended) + " of " + std::to_string(g.tests.size()) +
              " tests had ended, and no finding was analysed yet, when the grading was cut short";
  make_showable(g);
  return g;
}

}  // namespace

Grade score(const spec::AssignmentSpec& spec, const std::vector<RunResult>& runs, std::vector<Finding> findings) {
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

Grade grade(const spec::AssignmentSpec& spec, const fs::path& submission, const GradeOptions& options) {
  const double started = monotonic_seconds();
  auto found = find_submission(submission, spec);
  BuildResult built;
  if (!found) built.message = found.error().message();
  else built = build(spec, *found);
  const bool wants_race_build = std::any_of(spec.tests.begin(), spec.tests.end(), [](const spec::TestSpec& t) {
    return t.mode == spec::TestMode::Race || t.mode == spec::TestMode::Stress;
  });
  if (built.status == BuildStatus::Built && wants_race_build) build_race(spec, built);
  Grade g;
  if (built.status == BuildStatus::Built) {
    std::vector<RunResult> so_far;
    TestDone told;
    if (options.progress)
      told = [&](size_t, const std::vector<RunResult>& runs) {
        so_far.insert(so_far.end(), runs.begin(), runs.end());
        options.progress(partial_grade(spec, so_far, submission, options.seed));
      };
    const std::vector<RunResult> runs = run_tests(spec, built, options.seed, options.jobs, told);
    g = score(spec, runs, findings::analyze(spec, runs, submission));
    for (const auto& r : runs)
      for (const auto& note : r.outcome.notes)
        if (r.outcome.left_behind && note.rfind("could not", 0) == 0) g.left_behind.push_back(note);
  } else {
    g = not_graded(spec, built.status == BuildStatus::CompileError ? GradeStatus::CompileError : GradeStatus::Rejected,
                   built.message);
    if (g.status == GradeStatus::CompileError) g.findings.push_back(findings::compile_finding(built));
  }
  if (found) g.main_source = main_source(spec, *found);
  if (!built.workdir.empty())
    if (auto s = remove_tree(built.workdir); !s) g.left_behind.push_back("the build's work dir: " + s.error().message());
  g.assignment = spec.name;
  g.submission = submission.string();
  g.seed = options.seed;
  g.elapsed_s = monotonic_seconds() - started;
  make_showable(g);
  return g;
}

const char* test_status_name(TestStatus s) {
  static const char* const names[] = {"passed", "failed", "timeout", "crashed", "skipped"};
  return names[int(s)];
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

}  // namespace shm::engine
