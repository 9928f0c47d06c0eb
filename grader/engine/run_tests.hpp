// Running the assignment's tests against a built program, each in a fresh sandboxed work dir, and the
// whole pipeline (find, build, run, score) as one function.
#pragma once

#include <cstdint>

#include "types.hpp"

namespace shm::engine {

struct GradeOptions {
  uint64_t seed = 1;  // makes per-run names ({shm}) reproducible; printed with the result
  unsigned jobs = 2;  // tests run side by side
};

// Every run of every test (JOBS tests at a time), in the spec's order.
std::vector<RunResult> run_tests(const spec::AssignmentSpec& spec, const BuildResult& build, uint64_t seed, unsigned jobs);
// Runs and findings -> Grade: each test's points if every run passed, less what the findings cost (never below 0).
Grade score(const spec::AssignmentSpec& spec, const std::vector<RunResult>& runs, std::vector<Finding> findings);
// Submission -> Build -> Run -> Findings -> Grade.
Grade grade(const spec::AssignmentSpec& spec, const std::filesystem::path& submission, const GradeOptions& options);

}  // namespace shm::engine
