// The data that flows through grading, one stage's output the next stage's input:
//   Submission -> BuildResult -> TestResult (per test, from sandboxed runs) -> Grade.
// Plain structs: stages are functions of the previous stage's output and reach into nothing else.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "sandbox.hpp"
#include "spec/assignment_spec.hpp"

namespace shm::engine {

struct Submission {
  std::filesystem::path dir;
  std::vector<std::string> sources;  // file names relative to dir, in the order they are compiled
};

enum class BuildStatus { Built, CompileError, Rejected };

struct BuildResult {
  BuildStatus status = BuildStatus::Rejected;
  std::string message;           // why it was rejected, or the compiler's output (capped)
  std::filesystem::path program; // the built executable, on the host, when Built
  std::filesystem::path workdir; // the build's work dir (removed with the Grade's cleanup)
};

enum class TestStatus { Passed, Failed, Timeout, Crashed, Skipped };

struct TestResult {
  std::string name;
  TestStatus status = TestStatus::Skipped;
  double score = 0, max_score = 0;
  std::string output;  // what the student reads: what was expected, what happened
  bool hidden = false;
};

enum class GradeStatus { Graded, CompileError, Rejected, InternalError };

struct Grade {
  std::string assignment, submission;
  GradeStatus status = GradeStatus::InternalError;
  double score = 0, max_score = 0;
  std::vector<TestResult> tests;
  std::string message;  // for compile errors and rejections
  double elapsed_s = 0;
};

const char* test_status_name(TestStatus s);   // "passed", "failed", "timeout", "crashed", "skipped"
const char* grade_status_name(GradeStatus s);  // "graded", "compile-error", "rejected", "internal-error"

}  // namespace shm::engine
