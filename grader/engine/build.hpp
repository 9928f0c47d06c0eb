// Building a submission: every C (or C++) source in it compiled into the assignment's program, inside the
// sandbox with the compile profile's limits.
#pragma once

#include "types.hpp"

namespace shm::engine {

// The sources of DIR (top level, *.c for C; *.cc, *.cpp and *.c for C++), sorted; an error when there are none.
Result<Submission> find_submission(const std::filesystem::path& dir, const spec::AssignmentSpec& spec);
BuildResult build(const spec::AssignmentSpec& spec, const Submission& submission);
// The race build, for race and stress tests: BUILT's sources instrumented and linked with xrace.
void build_race(const spec::AssignmentSpec& spec, BuildResult& built);

}  // namespace shm::engine
