// Who reads a report: nothing of a hidden test (its name, arguments, expected values, what the program printed)
// reaches a format students see; the instructor's JSON keeps everything.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "process.hpp"

namespace {

// An assignment with one visible test and one hidden one that the submission fails, printing its argument.
struct HiddenTestFixture {
  shmtest::TempDir assignment, submission, out;
  HiddenTestFixture() {
    std::ofstream(assignment.file("assignment.toml"))
        << "title = \"hidden\"\nprogram = \"echoer\"\n"
           "[[test]]\nname = \"prints its argument\"\nargs = [\"plain\"]\nstdout = \"plain\\n\"\npoints = 1\n"
           "[[test]]\nname = \"secret usage check\"\nargs = [\"--zebra-unicorn\"]\nexit = 2\npoints = 1\nhidden = true\n";
    std::ofstream(submission.file("echoer.c"))
        << "#include <stdio.h>\nint main(int argc, char **argv) { if (argc > 1) puts(argv[1]); "
           "fputs(\"leaked-stderr\\n\", stderr); return 0; }\n";
  }
  std::string grade(const std::string& format) {
    const std::string file = out.file("result." + format);
    auto r = shmtest::run({SHMGRADE_BIN, "grade", assignment.path(), submission.path(), "--format", format, "--out", file});
    INFO(r.describe());
    CHECK(r.exit_code == 1);
    std::ifstream in(file);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
};

const char* const kSecrets[] = {"secret usage check", "zebra-unicorn", "expected 2", "leaked-stderr"};

}  // namespace

TEST_CASE("audience: formats students see say only that a hidden test failed, JSON keeps everything", "[report]") {
  HiddenTestFixture f;
  for (const char* format : {"text", "junit", "sarif", "github"}) {
    const std::string text = f.grade(format);
    INFO(format << ":\n" << text);
    for (const char* secret : kSecrets) CHECK_THAT(text, !Catch::Contains(secret));
    CHECK_THAT(text, Catch::Contains("hidden test"));
  }
  auto r = shmtest::run({SHMGRADE_BIN, "check", f.assignment.path(), f.submission.path()});
  for (const char* secret : kSecrets) CHECK_THAT(r.out + r.err, !Catch::Contains(secret));

  // Gradescope: every entry a student sees is clean; the hidden entries keep it all for the instructor.
  auto gradescope = nlohmann::json::parse(f.grade("gradescope"));
  std::string hidden_entries;
  for (const auto& t : gradescope["tests"]) {
    if (t["visibility"] == "hidden") {
      hidden_entries += t.dump();
      continue;
    }
    for (const char* secret : kSecrets) CHECK_THAT(t.dump(), !Catch::Contains(secret));
  }
  CHECK_THAT(gradescope["output"].get<std::string>(), !Catch::Contains("zebra"));
  CHECK_THAT(hidden_entries, Catch::Contains("secret usage check") && Catch::Contains("expected 2"));
  CHECK(gradescope["score"] == 1);

  const std::string json = f.grade("json");
  CHECK_THAT(json, Catch::Contains("secret usage check") && Catch::Contains("expected 2"));
}
