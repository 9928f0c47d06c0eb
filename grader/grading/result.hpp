// The Grade stage's record: each test's points, the findings and what they cost, for one submission. The report
// writers read it; nothing upstream includes it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/types.hpp"
#include "findings/finding.hpp"

namespace shm::grading {

struct TestResult {
  std::string name;
  engine::TestStatus status = engine::TestStatus::Skipped;
  double score = 0, max_score = 0;
  std::string output;  // what the student reads: what was expected, what happened
  bool hidden = false;
  std::string rule, rule_zh;  // the test's rule, from the spec (shown for a failed test)
  std::string name_zh;        // its name in Chinese ("" when the spec gives none)
  bool race_decided = false;  // failed because a data race decides it, whatever it printed (grading::score)
};

enum class GradeStatus { Graded, CompileError, Rejected, InternalError };

struct Grade {
  std::string assignment, submission;
  std::string main_source;  // relative to the submission: the source named after the program, else the first; "" when none
  GradeStatus status = GradeStatus::InternalError;
  double score = 0, max_score = 0;
  std::vector<TestResult> tests;
  std::vector<findings::Finding> findings;
  uint64_t seed = 0;
  std::string message;  // for compile errors and rejections
  double elapsed_s = 0;
  std::vector<std::string> left_behind;  // what of the grading could not be removed from the host (exit status 3)
};

const char* grade_status_name(GradeStatus s);

// Graded, with every point: what `check` exits 0 for and CI shows as a notice rather than an error.
inline bool full_marks(const Grade& g) { return g.status == GradeStatus::Graded && g.score == g.max_score; }  // "graded", "compile-error", "rejected", "internal-error"

}  // namespace shm::grading
