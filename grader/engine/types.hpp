// The data that flows through grading, one stage's output the next stage's input:
//   Submission -> BuildResult -> RunResult (each sandboxed run, with its trace events) -> Finding -> Grade.
// Plain structs: stages are functions of the previous stage's output and reach into nothing else.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "findings/catalogue.hpp"
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
  std::vector<std::string> command;  // the compiler command line
  std::filesystem::path program; // the built executable, on the host, when Built
  std::filesystem::path race_program;  // the race build (instrumented, linked with xrace), when the spec has race tests
  std::filesystem::path tsan_program;  // the same sources built with ThreadSanitizer, for races between threads
  std::string race_message;      // why there is no race build
  std::filesystem::path workdir; // the build's work dir (removed with the Grade's cleanup)
};

enum class TestStatus { Passed, Failed, Timeout, Crashed, Skipped };

// A data race the race detector reported: two accesses to the same bytes of a shared object, neither
// ordered before the other.
struct RaceAccess {
  int pid = 0;
  bool write = false;
  std::string file;  // relative to the submission
  int line = 0;
};
struct Race {
  std::string object;  // "/work/count.bin", "shm:/ring", "sysv:3", "anonymous #0"
  uint64_t offset = 0;
  unsigned size = 0;
  RaceAccess access, previous;
  bool threads_only = false;  // found by ThreadSanitizer in one process's memory ("global 'count'"): no offset
};

// A lock the race detector saw used in a way that cannot work between processes: KIND is the finding id
// ("mutex-not-pshared": initialised process-private in shared memory; "sync-not-shared": in private memory,
// used by a process of a forking program).
struct LockMisuse {
  std::string kind, object, file;
  int line = 0;
};

// One sandboxed run of one test (a test with repeat = N runs up to N times, stopping at the first failure).
struct RunResult {
  size_t test = 0;  // index into the spec's tests
  int repeat = 0;   // 0-based
  std::string shm_name;  // what {shm} was for this run
  sandbox::Outcome outcome;
  TestStatus status = TestStatus::Passed;
  std::string why;  // the first difference from what the test expects
  std::vector<Race> races;  // race and stress tests
  std::vector<LockMisuse> lock_misuse;
  uint64_t seed = 0;        // of the schedule perturbation (stress and race tests)
};

// A pitfall found in a run or in the build: an id from the catalogue, the values its message names, where in
// the student's source (when known), and the test that showed it. Messages are rendered per language by the
// report writers from the catalogue.
struct Finding {
  std::string id;
  findings::Severity severity = findings::Severity::Error;
  std::map<std::string, std::string> detail;
  std::string file;  // relative to the submission
  int line = 0;
  std::string test;
  double points = 0;  // what it cost (0 for warnings and for findings whose test already lost its points)
  // Whether a run shows it depends on that run's schedule (which pairs of racy lines the detector met): the same
  // submission and seed may list other ones, so comparisons of results leave these out.
  bool schedule_dependent = false;
};

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
  std::string main_source;  // relative to the submission: the source named after the program, else the first; "" when none
  GradeStatus status = GradeStatus::InternalError;
  double score = 0, max_score = 0;
  std::vector<TestResult> tests;
  std::vector<Finding> findings;
  uint64_t seed = 0;
  std::string message;  // for compile errors and rejections
  double elapsed_s = 0;
  std::vector<std::string> left_behind;  // what of the grading could not be removed from the host (exit status 3)
};

const char* test_status_name(TestStatus s);   // "passed", "failed", "timeout", "crashed", "skipped"
const char* grade_status_name(GradeStatus s);  // "graded", "compile-error", "rejected", "internal-error"

}  // namespace shm::engine
