// The whole pipeline for one submission: Submission -> Build -> Run -> Findings -> Grade.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>

#include "result.hpp"

namespace shm::grading {

struct GradeOptions {
  uint64_t seed = 1;  // makes per-run names ({shm}) and schedules reproducible; printed with the result
  unsigned jobs = 2;  // tests run side by side
  // Told a partial grade each time a test ends: the tests ended so far scored, the others "not finished",
  // no findings yet (they need every run). A grading cut short (Gradescope's time limit) can leave this.
  std::function<void(const Grade& partial)> progress;
};

// Every string in the result is valid UTF-8 (see make_showable).
Grade grade(const spec::AssignmentSpec& spec, const std::filesystem::path& submission, const GradeOptions& options);

}  // namespace shm::grading
