// shmgrade grade and list: the JSON result's schema and types, exit codes, determinism across 20 gradings.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "process.hpp"
#include "submissions.hpp"

namespace fs = std::filesystem;

namespace {

std::string sample(const std::string& name) { return std::string(SOURCE_DIR) + "/assignments/counter/samples/" + name; }


nlohmann::json grade_json(const std::string& submission, int expected_exit) {
  shmtest::TempDir out;
  auto r = shmtest::run({SHMGRADE_BIN, "grade", "counter", submission, "--format", "json", "--out", out.file("r.json")},
                        {.timeout_s = 180});
  INFO(r.describe());
  CHECK(r.exit_code == expected_exit);
  std::ifstream in(out.file("r.json"));
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("grade --format json: the shmgrade-result/1 schema with the right types", "[grade]") {
  auto j = grade_json(sample("missing_ftruncate"), 1);
  CHECK(j["schema"] == "shmgrade-result/1");
  CHECK(j["assignment"] == "counter");
  CHECK(j["status"] == "graded");
  CHECK(j["score"].is_number());
  CHECK(j["score"] == 0);  // 1 point of tests, less 5 for missing-ftruncate, floored
  REQUIRE(j["findings"].size() == 1);
  const auto& f = j["findings"][0];
  CHECK(f["id"] == "missing-ftruncate");
  CHECK(f["severity"] == "error");
  CHECK(f["file"] == "counter.c");
  CHECK(f["line"] == 19);
  CHECK(f["test"] == "one process");
  CHECK(f["points"] == 5);
  CHECK_THAT(f["message"].get<std::string>(), Catch::Contains("0 bytes long"));
  CHECK(j["max_score"] == 11);
  CHECK(j["findings"].is_array());
  CHECK(j["elapsed_s"].is_number());
  REQUIRE(j["tests"].size() == 4);
  std::set<std::string> statuses = {"passed", "failed", "timeout", "crashed", "skipped"};
  for (const auto& t : j["tests"]) {
    CHECK(t["name"].is_string());
    CHECK(t["score"].is_number());
    CHECK(t["max_score"].is_number());
    CHECK(statuses.count(t["status"].get<std::string>()) == 1);
    CHECK(t["output"].is_string());
  }
  CHECK(j["tests"][0]["status"] == "crashed");
}

TEST_CASE("grade: a compile error still gets a JSON result, exit 1", "[grade]") {
  shmtest::TempDir broken;
  std::ofstream(broken.file("counter.c")) << "this is not C\n";
  auto j = grade_json(broken.path(), 1);
  CHECK(j["status"] == "compile-error");
  CHECK(j["score"] == 0);
  CHECK(j["tests"][0]["status"] == "skipped");
  CHECK_THAT(j["message"].get<std::string>(), Catch::Contains("error"));
}

TEST_CASE("grade: the same submission graded 20 times gets the same score every time", "[grade]") {
  shmtest::TempDir sub;
  shmtest::copy_reference_counter(sub.path());
  std::set<double> scores;
  for (int i = 0; i < 20; i++) scores.insert(grade_json(sub.path(), 0)["score"].get<double>());
  CHECK(scores == std::set<double>{11});
}

TEST_CASE("list: every assignment with its title, and a broken spec is flagged", "[grade]") {
  auto r = shmtest::run({SHMGRADE_BIN, "list"});
  CHECK(r.exit_code == 0);
  CHECK_THAT(r.out, Catch::Contains("counter\tShared counter in a mapped file (4 tests)"));
  shmtest::TempDir dir;
  fs::create_directory(dir.file("broken"));
  std::ofstream(dir.file("broken/assignment.toml")) << "title = \n";
  auto bad = shmtest::run({SHMGRADE_BIN, "list", "--assignments", dir.path()});
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.out, Catch::Contains("broken\tINVALID: ") && Catch::Contains("assignment.toml:1:"));
}
