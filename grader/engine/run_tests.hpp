// Running the assignment's tests against a built program, each in a fresh sandboxed work dir.
#pragma once

#include <cstdint>

#include "types.hpp"

namespace shm::engine {

// Every run of every test (JOBS tests at a time), in the spec's order.
std::vector<RunResult> run_tests(const spec::AssignmentSpec& spec, const BuildResult& build, uint64_t seed, unsigned jobs);

}  // namespace shm::engine
