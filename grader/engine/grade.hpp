// The whole pipeline for one submission (find, build, run, findings, score), and the score itself.
#pragma once

#include <cstdint>
#include <functional>

#include "types.hpp"

namespace shm::engine {

struct GradeOptions {
  uint64_t seed = 1;  // makes per-run names ({shm}) and schedules reproducible; printed with the result
  unsigned jobs = 2;  // tests run side by side
  // Told a partial grade each time a test ends: the tests ended so far scored, the others "not finished",
  // no findings yet (they need every run). A grading cut short (Gradescope's time limit) can leave this.
  std::function<void(const Grade& partial)> progress;
};

// Runs and findings -> Grade: each test's points if every run passed, less what the findings cost (never below 0).
Grade score(const spec::AssignmentSpec& spec, const std::vector<RunResult>& runs, std::vector<Finding> findings);
// Submission -> Build -> Run -> Findings -> Grade. Every string in it is valid UTF-8 (see make_showable).
Grade grade(const spec::AssignmentSpec& spec, const std::filesystem::path& submission, const GradeOptions& options);
// A submission that was not run (STATUS: rejected, compile-error, internal-error): 0 points, every test skipped.
Grade not_graded(const spec::AssignmentSpec& spec, GradeStatus status, const std::string& message);
// Whatever came from a student (compiler output, program output, file names) made valid UTF-8, so that every
// writer can show it: bytes that are not UTF-8 become U+FFFD.
void make_showable(Grade& grade);

}  // namespace shm::engine
