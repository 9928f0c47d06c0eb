// Runs and findings -> Grade: the score itself, and the Grade of a submission that was not run.
#pragma once

#include <string>
#include <vector>

#include "result.hpp"

namespace shm::grading {

// Each test's points if every run passed, less what the findings cost (never below 0). Every test a data race
// decides (findings::decided_by_race) fails, whatever it printed; the race costs once.
Grade score(const spec::AssignmentSpec& spec, const std::vector<engine::RunResult>& runs,
            std::vector<findings::Finding> findings);

// A submission that was not run (STATUS: rejected, compile-error, internal-error): 0 points, every test skipped.
Grade not_graded(const spec::AssignmentSpec& spec, GradeStatus status, const std::string& message);

// Whatever came from a student (compiler output, program output, file names) made valid UTF-8, so that every
// writer can show it: bytes that are not UTF-8 become U+FFFD.
void make_showable(Grade& grade);

}  // namespace shm::grading
