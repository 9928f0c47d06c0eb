// What the Build and Run stages produce: Submission -> BuildResult -> RunResult (each sandboxed run, with its
// trace events). Findings (findings/finding.hpp) and the Grade (grading/result.hpp) are made from these
// downstream and never included here. Plain structs: a stage is a function of the previous stage's output.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "race/race.hpp"
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
  std::string xrace_provided;    // XRACE_PROVIDED for the race builds: the spec's provided helpers' code in each
  std::filesystem::path workdir; // the build's work dir (removed with the Grade's cleanup)
  std::vector<std::string> programs;  // every program built, the spec's program first (one, unless spec.programs)
  std::map<std::string, std::filesystem::path> race_builds() const;  // each program's race build, by its name
  std::vector<std::string> wrapper_calls;  // "file:line" of the sources' wrappers' calls (trace/wrappers.hpp)
  enum class Flavour { Plain, Race, Tsan };
  // Where NAME's build of FLAVOUR is (program, race_program and tsan_program are the first program's).
  std::filesystem::path executable(const std::string& name, Flavour flavour) const;
};

enum class TestStatus { Passed, Failed, Timeout, Crashed, Skipped };

// One sandboxed run of one test (a test with repeat = N runs up to N times, stopping at the first failure).
struct RunResult {
  size_t test = 0;  // index into the spec's tests
  int repeat = 0;   // 0-based
  std::string shm_name;  // what {shm} was for this run
  std::string command;   // what was run, as a student would type it: "./counter count.bin 2 10", or the test's script
  sandbox::Outcome outcome;
  TestStatus status = TestStatus::Passed;
  std::string why;  // the first difference from what the test expects
  std::vector<race::Race> races;  // race and stress tests
  std::vector<race::LockMisuse> lock_misuse;
  std::vector<race::DetectorLimit> race_limits;  // the race detector's capacities this run reached
  uint64_t seed = 0;        // of the schedule perturbation (stress and race tests)
};

const char* test_status_name(TestStatus s);   // "passed", "failed", "timeout", "crashed", "skipped"

}  // namespace shm::engine
