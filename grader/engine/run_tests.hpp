// Running the assignment's tests against a built program, each in a fresh sandboxed work dir, and the
// whole pipeline (find, build, run, score) as one function.
#pragma once

#include <cstdint>

#include "types.hpp"

namespace shm::engine {

std::vector<TestResult> run_tests(const spec::AssignmentSpec& spec, const BuildResult& build, uint64_t seed);
// Submission -> Build -> Run -> Grade. SEED makes per-run names ({shm}) reproducible.
Grade grade(const spec::AssignmentSpec& spec, const std::filesystem::path& submission, uint64_t seed);

}  // namespace shm::engine
