// Running the assignment's tests against a built program, each in a fresh sandboxed work dir.
#pragma once

#include <cstdint>
#include <functional>

#include "types.hpp"

namespace shm::engine {

// Told, in the grading's process, each test's runs as soon as the test has ended (in the order tests end).
using TestDone = std::function<void(size_t test, const std::vector<RunResult>& runs)>;

// Every run of every test (JOBS tests at a time), in the spec's order.
std::vector<RunResult> run_tests(const spec::AssignmentSpec& spec, const BuildResult& build, uint64_t seed, unsigned jobs,
                                 const TestDone& done = {});

}  // namespace shm::engine
