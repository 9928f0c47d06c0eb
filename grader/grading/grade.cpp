#include "grade.hpp"

#include <algorithm>

#include "engine/build.hpp"
#include "clock.hpp"
#include "files.hpp"
#include "findings/analyze.hpp"
#include "engine/run_tests.hpp"
#include "score.hpp"
#include "text.hpp"

namespace shm::grading {

namespace fs = std::filesystem;
using namespace engine;

namespace {

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

// Each failed test says how to run it alone with the same schedules: check's --test and --seed.
void add_rerun_lines(const spec::AssignmentSpec& spec, Grade& g, uint64_t seed) {
  for (auto& t : g.tests)
    if (t.status != TestStatus::Passed && t.status != TestStatus::Skipped)
      t.output += "\nrerun: shmgrade check " + shell_word(spec.name) + " . --test " + shell_word(t.name) + " --seed " +
                  std::to_string(seed);
}

}  // namespace

Grade grade(const spec::AssignmentSpec& spec, const fs::path& submission, const GradeOptions& options) {
  const double started = monotonic_seconds();
  auto found = find_submission(submission, spec);
  BuildResult built;
  if (!found) built.message = found.error().message();
  else built = build(spec, *found);
  const bool wants_race_build = std::any_of(spec.tests.begin(), spec.tests.end(), spec::racing);
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
    add_rerun_lines(spec, g, options.seed);
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

}  // namespace shm::grading
