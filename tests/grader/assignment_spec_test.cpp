// assignment.toml: a complete spec loads; every kind of mistake is refused with file:line:column and key.
#include <catch2/catch.hpp>

#include <fstream>

#include "process.hpp"
#include "spec/assignment_spec.hpp"

namespace spec = shm::spec;

namespace {

const char* const kGood = R"(title = "Shared counter in a mapped file"
program = "counter"
cflags = ["-std=gnu17", "-O2", "-g", "-Wall", "-pthread"]
ldflags = ["-lrt"]
techniques = ["map-shared-file"]

[limits]
time = 5
memory = 128

[findings]
data-race = 10
missing-msync = 1

[[test]]
name = "four processes"
args = ["{scratch}/count.bin", "4", "10000"]
stdout = "40000\n"
points = 10

[[test.file]]
path = "{scratch}/count.bin"
int32 = 40000

[[test]]
name = "mmap failure is handled"
args = ["{scratch}/count.bin", "2", "10"]
inject = ["mmap:shared:1:ENOMEM"]
exit = 1
stdout_regex = "^$"
points = 2
hidden = true
)";

// Writes TEXT as an assignment.toml and loads it.
shm::Result<spec::AssignmentSpec> load(const std::string& text, shmtest::TempDir& dir) {
  std::ofstream(dir.file("assignment.toml")) << text;
  return spec::load_assignment(dir.path());
}

std::string error_of(const std::string& text) {
  shmtest::TempDir dir;
  auto result = load(text, dir);
  REQUIRE_FALSE(result.ok());
  const std::string message = result.error().message();
  CHECK_THAT(message, Catch::StartsWith(dir.file("assignment.toml") + ":"));
  return message.substr(dir.file("assignment.toml").size());
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  auto at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("assignment spec: a complete spec loads with every field", "[spec]") {
  shmtest::TempDir dir;
  auto result = load(kGood, dir);
  INFO((result.ok() ? "" : result.error().message()));
  REQUIRE(result.ok());
  const auto& s = result.value();
  CHECK(s.title == "Shared counter in a mapped file");
  CHECK(s.program == "counter");
  CHECK(s.language == "c");
  CHECK(s.cflags.size() == 5);
  CHECK(s.ldflags == std::vector<std::string>{"-lrt"});
  CHECK(s.techniques == std::vector<std::string>{"map-shared-file"});
  CHECK(s.provided.empty());
  CHECK(s.limits[shm::sandbox::Limit::WallTime] == 5000);
  CHECK(s.limits[shm::sandbox::Limit::Memory] == 128ull << 20);
  CHECK(s.limits[shm::sandbox::Limit::Processes] == 64);  // untouched: the table's default
  CHECK(s.finding_points.at("data-race") == 10);
  REQUIRE(s.tests.size() == 2);
  CHECK(s.tests[0].args == std::vector<std::string>{"{scratch}/count.bin", "4", "10000"});
  CHECK(s.tests[0].stdout_exact == "40000\n");
  REQUIRE(s.tests[0].files.size() == 1);
  CHECK(s.tests[0].files[0].int32 == 40000);
  CHECK(s.tests[0].mode == spec::TestMode::Plain);
  CHECK(s.tests[1].mode == spec::TestMode::Traced);  // an injection implies tracing
  CHECK(s.tests[1].exit_status == 1);
  CHECK(s.tests[1].stdout_regex == "^$");
  CHECK(s.tests[1].hidden);
  CHECK(s.max_score() == 12);
}

TEST_CASE("assignment spec: provided helper files", "[spec]") {
  shmtest::TempDir dir;
  auto result = load(replaced(kGood, "program = \"counter\"", "program = \"counter\"\nprovided = [\"unpipc.c\", \"unpipc.h\"]"), dir);
  REQUIRE(result.ok());
  CHECK(result->provided == std::vector<std::string>{"unpipc.c", "unpipc.h"});
}

TEST_CASE("assignment spec: mistakes are named with line, column and key", "[spec]") {
  CHECK(error_of(replaced(kGood, "stdout = \"40000\\n\"", "stdot = \"40000\\n\"")) ==
        ":18:1: test[1].stdot: unknown key (did you mean 'stdout'?)");
  CHECK(error_of(replaced(kGood, "time = 5", "tme = 5")) == ":8:1: limits.tme: unknown key (did you mean 'time'?)");
  CHECK(error_of(replaced(kGood, "time = 5", "time = -5")) == ":8:8: limits.time: expected a positive number of s");
  CHECK(error_of(replaced(kGood, "data-race = 10", "data-rase = 10")) ==
        ":12:1: findings.data-rase: unknown finding id (did you mean 'data-race'?)");
  CHECK(error_of(replaced(kGood, "points = 10", "points = \"ten\"")) ==
        ":19:10: test 'four processes'.points: expected a number");
  CHECK(error_of(replaced(kGood, "{scratch}/count.bin\", \"4\"", "{scrach}/count.bin\", \"4\"")) ==
        ":17:8: test 'four processes'.args: unknown placeholder {scrach}; use {scratch}, {shm}");
  CHECK(error_of(replaced(kGood, "mmap:shared:1:ENOMEM", "mmap:shared:0:ENOMEM")) ==
        ":28:10: test 'mmap failure is handled'.inject: --inject mmap:shared:0:ENOMEM: N must be a positive count");
  CHECK(error_of(replaced(kGood, "name = \"mmap failure is handled\"", "name = \"four processes\"")) ==
        ":26:8: test 'four processes'.name: another test has this name");
  CHECK(error_of(replaced(kGood, "\"map-shared-file\"", "\"map-shared-fiel\"")) ==
        ":5:14: techniques: unknown technique 'map-shared-fiel' (did you mean 'map-shared-file'?)");
  CHECK(error_of(replaced(kGood, "stdout_regex = \"^$\"", "stdout_regex = \"([\"")).find("not a valid regex") !=
        std::string::npos);
  CHECK(error_of(replaced(kGood, "int32 = 40000", "content = \"x\"\nint32 = 40000")) ==
        ":21:1: test 'four processes'.file.path: give exactly one of content or int32");
  CHECK(error_of(replaced(kGood, "path = \"{scratch}/count.bin\"", "path = \"/tmp/count.bin\"")) ==
        ":22:8: test 'four processes'.file.path: expected a file in the work dir: \"{scratch}/NAME\"");
  CHECK(error_of(replaced(kGood, "program = \"counter\"", "program = \"../counter\"")) ==
        ":2:11: program: expected a plain file name");
  CHECK(error_of(replaced(kGood, "program = \"counter\"", "program = \"counter\"\nprovided = [\"../unpipc.c\"]")) ==
        ":3:12: provided: expected source file names (\"unpipc.c\"), not \"../unpipc.c\"");
  CHECK(error_of("title = \"x\"\nprogram = \"p\"\n") == ":1:1: test: at least one [[test]] is required");
  CHECK(error_of("title = \"x\"\nprogram = \"p\"\n[[test]]\npoints = 1\n") == ":3:1: test[1].name: missing (required)");
  CHECK(error_of("title = \"unterminated\nprogram = \"p\"\n").find(":1:") == 0);  // TOML syntax errors too
}

TEST_CASE("assignment spec: an assignment's own hints and its tests' names in Chinese", "[spec]") {
  const std::string with = replaced(kGood, "[[test]]\nname = \"four processes\"\n",
                                    "[hints.wrong-output]\nen = \"count it\"\nzh = \"数一数\"\n\n"
                                    "[[test]]\nname = \"four processes\"\nname_zh = \"四个进程\"\n");
  shmtest::TempDir dir;
  auto result = load(with, dir);
  INFO((result.ok() ? "" : result.error().message()));
  REQUIRE(result.ok());
  CHECK(result->finding_hints.at("wrong-output").en == "count it");
  CHECK(result->finding_hints.at("wrong-output").zh == "数一数");
  CHECK(result->tests[0].name_zh == "四个进程");
  CHECK(result->tests[1].name_zh.empty());
  CHECK(error_of(replaced(with, "[hints.wrong-output]", "[hints.wrong-outptu]")) ==
        ":15:8: hints.wrong-outptu: unknown finding id (did you mean 'wrong-output'?)");
  CHECK_THAT(error_of(replaced(with, "zh = \"数一数\"\n", "")), Catch::EndsWith("hints.wrong-output.zh: missing (required)"));
  CHECK_THAT(error_of(replaced(with, "zh = \"数一数\"", "fr = \"x\"")), Catch::Contains("hints.wrong-output.fr: unknown key"));
}

TEST_CASE("assignment spec: a folder without assignment.toml is refused", "[spec]") {
  shmtest::TempDir dir;
  auto result = spec::load_assignment(dir.path());
  REQUIRE_FALSE(result.ok());
  CHECK_THAT(result.error().message(), Catch::EndsWith("assignment.toml: no such assignment spec"));
}

TEST_CASE("spec: script tests, per-test techniques, and braces that are not placeholders", "[spec]") {
  const std::string script_test = R"(
[[test]]
name = "unrelated processes"
script = """
{program} init {shm} 4 && {program} destroy {shm}
echo 1 2 | awk '{ print $1 + $2 }'
"""
stdout = "3\n"
techniques = ["posix-shm"]
points = 1
)";
  shmtest::TempDir dir;
  auto good = load(std::string(kGood) + script_test, dir);
  REQUIRE(good.ok());
  const auto& t = good->tests.back();
  CHECK_THAT(t.script, Catch::Contains("{program} init {shm} 4") && Catch::Contains("awk '{ print $1 + $2 }'"));
  CHECK(t.techniques == std::vector<std::string>{"posix-shm"});
  CHECK(good->tests.front().techniques.empty());  // the top-level ones apply to it

  CHECK(error_of(std::string(kGood) + R"(
[[test]]
name = "both"
args = ["x"]
script = "true"
points = 1
)") == ":37:10: test 'both'.script: give args or script, not both");
  CHECK(error_of(std::string(kGood) + R"(
[[test]]
name = "bad technique"
args = ["x"]
techniques = ["posix-shmm"]
points = 1
)") == ":37:14: test 'bad technique'.techniques: unknown technique 'posix-shmm' (did you mean 'posix-shm'?)");
  CHECK(error_of(std::string(kGood) + R"(
[[test]]
name = "program in args"
args = ["{program}"]
points = 1
)") == ":36:8: test 'program in args'.args: unknown placeholder {program}; use {scratch}, {shm}");
}

TEST_CASE("assignment spec: an output test's race_test names a race or stress test, and shares its variant", "[spec]") {
  const std::string race = "\n[[test]]\nname = \"no data race\"\nargs = [\"{scratch}/count.bin\", \"2\", \"100\"]\n"
                           "mode = \"race\"\npoints = 2\n";
  const std::string with = replaced(kGood, "stdout = \"40000\\n\"", "stdout = \"40000\\n\"\nrace_test = \"no data race\"") + race;
  shmtest::TempDir dir;
  auto result = load(with, dir);
  INFO((result.ok() ? "" : result.error().message()));
  REQUIRE(result.ok());
  const auto& s = *result;
  CHECK(s.tests[0].race_test == "no data race");
  // the output test counts as its race test's variant; the injected-failure test has none
  CHECK(spec::race_variant(s, s.tests[0]) == spec::race_variant(s, s.tests[2]));
  CHECK(spec::race_variant(s, s.tests[2]) == std::vector<std::string>{"", "{scratch}/count.bin"});
  CHECK_FALSE(spec::race_variant(s, s.tests[1]));
  CHECK(error_of(replaced(with, "race_test = \"no data race\"", "race_test = \"no data rase\"")) ==
        ":19:13: test 'four processes'.race_test: no race or stress test is named 'no data rase' (did you mean "
        "'no data race'?)");
  CHECK(error_of(replaced(with, "race_test = \"no data race\"", "race_test = \"mmap failure is handled\"")) ==
        ":19:13: test 'four processes'.race_test: no race or stress test is named 'mmap failure is handled'");
  CHECK(error_of(replaced(with, "mode = \"race\"", "mode = \"race\"\nrace_test = \"no data race\"")) ==
        ":39:13: test 'no data race'.race_test: only an output test names a race test; a race or stress test is one");
}
