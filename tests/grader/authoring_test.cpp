// shmgrade new and verify: a scaffold verifies as made; each kind of mismatch is named with its file; the
// Gradescope package refuses an assignment that does not verify.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "authoring/authoring.hpp"
#include "process.hpp"

namespace fs = std::filesystem;

TEST_CASE("authoring: a scaffold verifies as made and each broken part is named with its file", "[authoring]") {
  shmtest::TempDir parent;
  auto made = shmtest::run({SHMGRADE_BIN, "new", "mycounter", "--from", "counter", "--into", parent.path()});
  INFO(made.describe());
  REQUIRE(made.exit_code == 0);
  const std::string dir = parent.path() + "/mycounter";
  for (const char* part : {"assignment.toml", "README.md", "starter/counter.c", "solution/counter.c"}) CHECK(fs::exists(dir + "/" + part));
  auto verify = [&] { return shmtest::run({SHMGRADE_BIN, "verify", dir}, {.timeout_s = 300}); };
  auto ok = verify();
  INFO(ok.describe());
  CHECK(ok.exit_code == 0);
  CHECK_THAT(ok.out, Catch::Contains("the starter, the solution checked") && Catch::Contains("verified"));

  std::ofstream(dir + "/samples/correct_atomic/expected.json") << R"({"score": 3, "findings": [{"id": "data-race"}]})";
  fs::copy_file(dir + "/solution/counter.c", dir + "/starter/counter.c", fs::copy_options::overwrite_existing);
  // A handout that no longer states a test's rule (in Chinese here): a test would check what students were not told.
  std::string handout;
  {
    std::ifstream in(dir + "/README.md");
    handout.assign(std::istreambuf_iterator<char>(in), {});
  }
  const std::string usage_zh = "参数个数不对是用法错误：退出状态为 2";
  REQUIRE(handout.find(usage_zh) != std::string::npos);
  handout.erase(handout.find(usage_zh), usage_zh.size());
  std::ofstream(dir + "/README.md") << handout;
  auto broken = verify();
  CHECK(broken.exit_code == 1);
  CHECK_THAT(broken.err, Catch::Contains("samples/correct_atomic/expected.json: score 17 / 17, expected 3"));
  CHECK_THAT(broken.err, Catch::Contains("expected.json: finding {\"id\":\"data-race\"} missing (found: none)"));
  CHECK_THAT(broken.err, Catch::Contains("/starter: scores full marks"));
  CHECK_THAT(broken.err, Catch::Contains("README.md: does not state test 'usage error''s rule_zh: \"" + usage_zh + "\""));
  CHECK_THAT(broken.out, Catch::Contains("4 mismatches"));

  shmtest::TempDir zip;
  auto refused = shmtest::run({SHMGRADE_BIN, "gradescope-package", dir, "--out", zip.file("autograder.zip")}, {.timeout_s = 300});
  CHECK(refused.exit_code == 1);
  CHECK_THAT(refused.err, Catch::Contains("does not verify: no package written"));
  CHECK_FALSE(fs::exists(zip.file("autograder.zip")));

  std::ofstream(dir + "/assignment.toml", std::ios::app) << "\n[[test]]\nname = 7\n";
  auto bad_spec = verify();
  CHECK(bad_spec.exit_code == 2);
  CHECK_THAT(bad_spec.err, Catch::Contains("assignment.toml"));

  CHECK(shmtest::run({SHMGRADE_BIN, "new", "mycounter", "--into", parent.path()}).exit_code == 2);  // exists
  auto bad_name = shmtest::run({SHMGRADE_BIN, "new", "../escape", "--into", parent.path()});
  CHECK(bad_name.exit_code == 2);
  CHECK_THAT(bad_name.err, Catch::Contains("lower-case letters"));
}

TEST_CASE("authoring: expected.json's rules, one by one", "[authoring]") {
  const nlohmann::json result = {{"status", "graded"}, {"score", 10}, {"max_score", 17},
                                 {"findings", {{{"id", "map-failed-unchecked"}, {"file", "counter.c"}, {"line", 20}, {"severity", "error"}}}}};
  using shm::authoring::expectation_mismatches;
  CHECK(expectation_mismatches({{"score", "less"}}, result).empty());
  CHECK(expectation_mismatches({{"score", 10}}, result).empty());
  CHECK(expectation_mismatches({{"score", "full"}}, result).size() == 1);
  CHECK(expectation_mismatches({{"findings", {{{"id", "map-failed-unchecked"}, {"line", 20}}}}}, result).empty());
  CHECK(expectation_mismatches({{"findings", {{{"id", "map-failed-unchecked"}, {"line", 21}}}}}, result).size() == 1);
  CHECK(expectation_mismatches({{"absent", {"map-failed-unchecked"}}}, result).size() == 1);
  CHECK(expectation_mismatches({{"absent_severity", "error"}}, result).size() == 1);
  CHECK(expectation_mismatches({{"score", 10}}, {{"status", "compile-error"}, {"score", 10}, {"max_score", 17}, {"findings", nlohmann::json::array()}}).size() == 1);
}
