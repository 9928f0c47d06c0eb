// An assignment's spec, assignments/NAME/assignment.toml, loaded and checked. Anything malformed or
// unknown is an error naming the file, line and key (with the nearest known key when one is close).
//
//   title = "Shared counter in a mapped file"     # required
//   program = "counter"                            # required: what the submission builds
//   language = "c"                                 # c (default) or c++
//   cflags = ["-std=gnu17", "-O2", "-g"]           # optional, replaces the language's default
//   ldflags = ["-lrt"]
//   provided = ["unpipc.c"]                        # helper files given to students: calls in them are placed
//                                                  #   at their caller ("counter.c:26 via unpipc.c:36")
//   techniques = ["map-shared-file"]               # required techniques, checked from the trace
//   [limits]   time = 10  memory = 256             # any flag of the sandbox's limits table, in its unit
//   [findings] data-race = 10                      # points a finding costs (ids from the catalogue)
//   [hints.wrong-output]                           # this assignment's hint for a finding, replacing the
//   en = "..."  zh = "..."                         #   catalogue's where the general one would mislead
//   [[test]]
//   name = "four processes"                        # required, unique (what --test takes)
//   name_zh = "四个进程"                            # its name in Chinese (shown with --lang zh)
//   rule = "4 processes ... print 80000"           # the rule it checks, as the handout states it; rule_zh in
//                                                  #   Chinese (shown when it fails; verify checks the handout)
//   args = ["{scratch}/count.bin", "4", "10000"]   # placeholders: {scratch} (the work dir), {shm} (a unique
//                                                  #   POSIX shm name for this run)
//   script = "{program} init {shm} 8 && ..."       # instead of args: a /bin/sh -c command line, for tests that
//                                                  #   start several unrelated processes ({program} = ./PROGRAM)
//   techniques = ["map-dev-zero"]                  # this test's required techniques (replace the top-level ones)
//   stdin = ""          stdout = "40000\n"  (or stdout_regex = "...")   exit = 0
//   points = 10         repeat = 1          mode = "plain" | "traced" | "race" | "stress"
//                                                  # race: the race build (xrace) reports data races (a
//                                                  #   race fails it; its output, which the schedule decides,
//                                                  #   is not judged);
//                                                  # stress: the race build with seeded yields (yield = 0.25)
//   race_test = "no data race: bsd"                # an output test that runs several processes or threads at
//                                                  #   once: the race test that runs the program the same way;
//                                                  #   when it finds a race this test fails too (its output was
//                                                  #   the schedule's), so a racy program scores the same each time
//   inject = ["mmap:shared:1:ENOMEM"]  (implies traced)                 hidden = false
//   [[test.file]]  path = "{scratch}/count.bin"   int32 = 40000  (or content = "...")
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "limits.hpp"
#include "result.hpp"
#include "trace/injection.hpp"

namespace shm::spec {

enum class TestMode { Plain, Traced, Race, Stress };

struct ExpectedFile {
  std::string path;                    // may hold placeholders
  std::optional<std::string> content;  // exact bytes
  std::optional<int32_t> int32;        // a native int in the first 4 bytes
};

struct TestSpec {
  std::string name, name_zh;
  std::string rule, rule_zh;  // the one-line rule it checks, as the handout states it (en, zh)
  std::vector<std::string> args;
  std::string script;  // non-empty: run with /bin/sh -c instead of the program with args
  std::vector<std::string> techniques;
  std::string stdin_data;
  std::optional<std::string> stdout_exact, stdout_regex;
  int exit_status = 0;
  double points = 0;
  int repeat = 1;
  TestMode mode = TestMode::Plain;
  double yield = 0.25;  // stress: the probability of a yield at each shared access
  int stress_runs = 3;  // stress: at least this many runs, each under its own seeded schedule (see run_tests)
  std::string race_test;  // an output test's: the race or stress test that runs the program the same way
  std::vector<trace::Injection> injections;  // `inject`, parsed
  bool hidden = false;
  std::vector<ExpectedFile> files;
};

struct AssignmentSpec {
  std::filesystem::path dir;  // the assignment's folder
  std::string name;           // the folder's name
  std::string title, language = "c", program;
  // Several programs from one submission (shmgrade race server.c client.c): each is built from its file with
  // main and every source without one, and named after that file; the first is `program`. Empty: one program,
  // `program`, built from every source.
  struct MainProgram {
    std::string name, main_source;
  };
  std::vector<MainProgram> programs;
  std::vector<std::string> cflags, ldflags, techniques;
  // Helper files given to students (a book's unpipc.c with its Mmap and Sem_open): a traced call made in one is
  // placed at the student's line that called the helper, "via" it.
  std::vector<std::string> provided;
  // Files copied into each run's work dir beside the program (shmgrade race --input), on the grader's host.
  std::vector<std::filesystem::path> input_files;
  sandbox::Limits limits = sandbox::Limits::defaults(sandbox::Profile::Run);
  std::map<std::string, double> finding_points;  // overrides of the catalogue's defaults
  struct Hint {
    std::string en, zh;
  };
  std::map<std::string, Hint> finding_hints;  // this assignment's hints, replacing the catalogue's
  std::vector<TestSpec> tests;
  double max_score() const;
};

bool racing(const TestSpec& t);  // a race or stress test

// How a test runs the program, for race verdicts: a racing test's args apart from counts, or its script
// (`bsd 4 2000` and `bsd 2 100` are one variant); an output test's race_test's; none for another output test.
// When a racing run of a variant finds a data race, every test of the variant fails (grading::score).
std::optional<std::vector<std::string>> race_variant(const AssignmentSpec& spec, const TestSpec& t);

// Load DIR/assignment.toml.
Result<AssignmentSpec> load_assignment(const std::filesystem::path& dir);

}  // namespace shm::spec
