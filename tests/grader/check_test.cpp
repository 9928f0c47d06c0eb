// shmgrade check, end to end: the reference solution scores full marks; a buggy sample, a compile error,
// an empty submission and a broken spec each get the right status, explanation and exit code.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "process.hpp"
#include "submissions.hpp"

namespace fs = std::filesystem;

namespace {


shmtest::ProcessResult check(const std::string& submission, const std::string& assignment = "counter") {
  return shmtest::run({SHMGRADE_BIN, "check", assignment, submission}, {.timeout_s = 180});
}

}  // namespace

TEST_CASE("check: the reference counter scores full marks and exits 0", "[check]") {
  shmtest::TempDir sub;
  shmtest::copy_reference_counter(sub.path());
  auto r = check(sub.path());
  INFO(r.describe());
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("score: 17 / 17"));
  CHECK_THAT(r.out, !Catch::Contains("FAIL"));
}

TEST_CASE("check: the missing-ftruncate sample crashes with SIGBUS and says so", "[check]") {
  auto r = check(std::string(SOURCE_DIR) + "/assignments/counter/samples/missing_ftruncate");
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("FAIL  four processes  0/4") && Catch::Contains("killed by SIGBUS"));
  // The usage test passes, but the finding costs more than its point: the score floors at 0.
  CHECK_THAT(r.out, Catch::Contains("PASS  usage error  1/1") && Catch::Contains("score: 0 / 17"));
  CHECK_THAT(r.out, Catch::Contains("counter.c:19: error [missing-ftruncate]") &&
                        Catch::Contains("hint: call ftruncate(fd, size)") && Catch::Contains("shmgrade explain missing-ftruncate"));
  CHECK_THAT(r.out, !Catch::Contains("[crash]"));  // explained by the located finding
}

TEST_CASE("check: a compile error and an empty submission score 0 with a reason", "[check]") {
  shmtest::TempDir broken;
  std::ofstream(broken.file("counter.c")) << "int main(void) { return undefined_name; }\n";
  auto r = check(broken.path());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("compile-error") && Catch::Contains("undefined_name") &&
                        Catch::Contains("score: 0 / 17"));
  CHECK_THAT(r.out, Catch::Contains("counter.c:1: error [compile-error] ") && Catch::Contains("-std=gnu17"));

  shmtest::TempDir empty;
  auto e = check(empty.path());
  CHECK(e.exit_code == 1);
  CHECK_THAT(e.out, Catch::Contains("rejected") && Catch::Contains("no source files"));
}

TEST_CASE("check: a broken assignment spec is a configuration error (exit 2) naming file and line", "[check]") {
  shmtest::TempDir assignment;
  std::ofstream(assignment.file("assignment.toml")) << "title = \"t\"\nprogram = \"p\"\nbogus = 1\n";
  shmtest::TempDir sub;
  auto r = check(sub.path(), assignment.path());
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("assignment.toml:3:1: bogus: unknown key"));
}

TEST_CASE("check: a newcomer's mistakes get a message saying what to do, usage errors exit 2", "[check]") {
  shmtest::TempDir dir;
  std::ofstream(dir.file("counter.c")) << "int main(void) { return 0; }\n";
  auto missing = check(dir.file("no-such-folder"));
  INFO(missing.describe());
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.err, Catch::Contains("no-such-folder: no such folder"));

  auto file = check(dir.file("counter.c"));
  INFO(file.describe());
  CHECK(file.exit_code == 2);
  CHECK_THAT(file.err, Catch::Contains("counter.c is a file; give the folder that holds it (" + dir.path() + ")"));

  auto typo = check(dir.path(), "countr");
  INFO(typo.describe());
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("no assignment named 'countr'") && Catch::Contains("did you mean 'counter'?") &&
                           Catch::Contains("shmgrade list"));
  auto far = check(dir.path(), "quicksort");
  CHECK(far.exit_code == 2);
  CHECK_THAT(far.err, !Catch::Contains("did you mean"));

  shmtest::TempDir linked;  // a link could point anywhere on the grader's host: refused, and said so
  fs::create_symlink(dir.file("counter.c"), linked.file("counter.c"));
  auto link = check(linked.path());
  INFO(link.describe());
  CHECK(link.exit_code == 1);
  CHECK_THAT(link.out, Catch::Contains("refused: counter.c is a symbolic link; submit the file itself"));

  auto zero = shmtest::run({SHMGRADE_BIN, "run", "--time", "0", "--", "/bin/true"});
  INFO(zero.describe());
  CHECK(zero.exit_code == 2);
  CHECK_THAT(zero.err, Catch::Contains("must be a number above 0, not '0'"));
  CHECK(zero.err.size() < 400);  // not a range ending in DBL_MAX's digits
}

TEST_CASE("check: a failed test says what to fix first, what was run and injected, and how to rerun it alone "
          "(--test), which runs only that test", "[check]") {
  const std::string sample = std::string(SOURCE_DIR) + "/assignments/counter/samples/null_check";
  auto all = shmtest::run({SHMGRADE_BIN, "check", "counter", sample}, {.timeout_s = 180});
  INFO(all.describe());
  CHECK(all.exit_code == 1);
  CHECK_THAT(all.out, Catch::Contains("counter — Shared counter in a mapped file\nfix first: counter.c:20 map-failed-unchecked (-5 points)\n"));
  CHECK_THAT(all.out, Catch::Contains("        ran: ./counter /work/count.bin 2 10\n"
                                      "        injected: the 1st MAP_SHARED mmap fails with ENOMEM\n"
                                      "        rerun: shmgrade check counter . --test 'mmap failure is handled' --seed 1\n"));

  // The rerun line, as printed, runs that test alone.
  auto one = shmtest::run({SHMGRADE_BIN, "check", "counter", sample, "--test", "mmap failure is handled", "--seed", "1"},
                          {.timeout_s = 180});
  INFO(one.describe());
  CHECK(one.exit_code == 1);
  CHECK_THAT(one.out, Catch::Contains("FAIL  mmap failure is handled  0/2"));
  CHECK(one.out.find("PASS") == std::string::npos);
  CHECK_THAT(one.out, Catch::Contains("score: 0 / 2"));

  auto typo = shmtest::run({SHMGRADE_BIN, "check", "counter", sample, "--test", "mmap failure is handed"});
  INFO(typo.describe());
  CHECK(typo.exit_code == 2);
  CHECK_THAT(typo.err, Catch::Contains("--test: no test named 'mmap failure is handed' in counter; did you mean "
                                       "'mmap failure is handled'?") && Catch::Contains("'one process'"));

  // In Chinese, the tests' names and the words around them too; --test takes either name.
  auto zh = shmtest::run({SHMGRADE_BIN, "check", "counter", sample, "--lang", "zh", "--test", "一个进程", "--test",
                          "mmap failure is handled"}, {.timeout_s = 180});
  INFO(zh.describe());
  CHECK_THAT(zh.out, Catch::Contains("先修正：counter.c:20 map-failed-unchecked（扣 5 分）") && Catch::Contains("通过  一个进程") &&
                         Catch::Contains("失败  处理 mmap 失败"));
  CHECK_THAT(zh.out, Catch::Contains("（测试 “处理 mmap 失败”，扣 5 分）"));  // a finding names its test in Chinese too
}

TEST_CASE("check --watch: grades again when a source changes, not for editors' swap and backup files, and ends on "
          "SIGTERM with the last grading's status", "[check]") {
  shmtest::TempDir sub, logs;
  const std::string samples = std::string(SOURCE_DIR) + "/assignments/counter/samples/";
  fs::copy_file(samples + "correct_atomic/counter.c", sub.file("counter.c"));
  const std::string script = R"sh(
    sub="$1"; out="$2"; broken="$3"
    "$0" check counter "$sub" --watch --test 'one process' >"$out" 2>&1 & pid=$!
    graded() { for i in $(seq 900); do [ "$(grep -c '^score' "$out")" -ge "$1" ] && return 0; sleep 0.2; done; return 1; }
    graded 1 || { kill $pid; exit 10; }
    touch "$sub/.counter.c.swp"; echo x >"$sub/counter.c~"; sleep 1.5   # ignored: no grading for these
    cp "$broken" "$sub/counter.c"
    graded 2 || { kill $pid; exit 11; }
    sleep 1
    kill -TERM $pid; wait $pid; echo "exit=$?" >>"$out")sh";
  auto r = shmtest::run({"/bin/sh", "-c", script, SHMGRADE_BIN, sub.path(), logs.file("out"),
                         samples + "missing_ftruncate/counter.c"}, {.timeout_s = 300});
  INFO(r.describe());
  REQUIRE(r.exit_code == 0);
  std::ifstream in(logs.file("out"));
  const std::string out((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  INFO(out);
  CHECK_THAT(out, Catch::Contains("PASS  one process  2/2\nscore: 2 / 2"));
  CHECK_THAT(out, Catch::Contains("shmgrade check: counter.c changed at "));
  CHECK_THAT(out, Catch::Contains("FAIL  one process  0/2"));
  size_t gradings = 0;
  for (size_t at = 0; (at = out.find("\nscore: ", at)) != std::string::npos; at++) gradings++;
  CHECK(gradings == 2);  // the swap and backup files changed nothing
  CHECK_THAT(out, Catch::EndsWith("exit=1\n"));
}
