// Every assignment verifies (`shmgrade verify`: its samples against their expected.json, its starter below full
// marks; expected.json is described in grader/authoring/authoring.hpp), every reference solution scores full
// marks with no error finding, and grading is deterministic.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "process.hpp"

namespace fs = std::filesystem;

namespace {

nlohmann::json grade(const std::string& assignment, const std::string& submission) {
  shmtest::TempDir out;
  auto r = shmtest::run({SHMGRADE_BIN, "grade", assignment, submission, "--format", "json", "--out", out.file("r.json")},
                        {.timeout_s = 240});
  INFO(r.describe());
  REQUIRE((r.exit_code == 0 || r.exit_code == 1));
  std::ifstream in(out.file("r.json"));
  return nlohmann::json::parse(in);
}

std::string findings_text(const nlohmann::json& result) {
  std::string s;
  for (const auto& f : result["findings"]) s += f.dump() + "\n";
  return s;
}

// Every assignment under assignments/ (a folder with an assignment.toml), in name order: a new one is tested
// without touching this file.
std::vector<std::string> assignments() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(fs::path(SOURCE_DIR) / "assignments"))
    if (fs::exists(entry.path() / "assignment.toml")) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("samples: every assignment verifies: each sample grades to its expected.json and the starter below full marks",
          "[samples]") {
  const auto all = assignments();
  CHECK(all.size() >= 5);
  for (const auto& assignment : all) {
    auto r = shmtest::run({SHMGRADE_BIN, "verify", assignment}, {.timeout_s = 600});
    INFO(assignment << "\n" << r.describe());
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.out, Catch::Contains(": verified"));
  }
}

TEST_CASE("samples: every reference solution scores full marks with no error finding", "[samples]") {
  for (const auto& assignment : assignments()) {
    INFO(assignment);
    if (!fs::exists(fs::path(SOURCE_DIR) / "reference/programs" / (assignment + ".c"))) continue;  // none yet
    shmtest::TempDir sub;  // the solution as a student would hand it in: its source and the helper library
    fs::copy_file(fs::path(SOURCE_DIR) / "reference/programs" / (std::string(assignment) + ".c"),
                  fs::path(sub.path()) / (std::string(assignment) + ".c"));
    for (const auto& entry : fs::directory_iterator(fs::path(SOURCE_DIR) / "reference/lib"))
      fs::copy_file(entry.path(), fs::path(sub.path()) / entry.path().filename());
    const auto result = grade(assignment, sub.path());
    INFO(findings_text(result));
    CHECK(result["score"] == result["max_score"]);
    for (const auto& f : result["findings"]) CHECK(f["severity"] != "error");
  }
}

// What must not change between gradings of one submission with one seed: everything but the timing and the
// findings a run's schedule decided (marked schedule_dependent), which are dropped.
std::string deterministic_part(nlohmann::json result) {
  result.erase("elapsed_s");
  nlohmann::json kept = nlohmann::json::array();
  for (const auto& f : result["findings"]) {
    REQUIRE(f["schedule_dependent"].is_boolean());
    if (!f["schedule_dependent"].get<bool>()) kept.push_back(f);
  }
  result["findings"] = kept;
  return result.dump(1);
}

TEST_CASE("samples: every sample graded 3 times gets the same JSON, apart from timing and schedule-dependent findings, and valid against result.schema.json",
          "[samples]") {
  shmtest::TempDir results;  // each sample's first result, for the schema
  std::vector<std::string> validate = {"/usr/bin/python3", std::string(SOURCE_DIR) + "/tests/formats/validate.py", "schema",
                                       std::string(SOURCE_DIR) + "/grader/report/result.schema.json"};
  for (const auto& assignment : assignments())
    for (const auto& entry : fs::directory_iterator(fs::path(SOURCE_DIR) / "assignments" / assignment / "samples")) {
      INFO(assignment << "/" << entry.path().filename().string());
      const nlohmann::json result = grade(assignment, entry.path().string());
      validate.push_back(results.file(assignment + "-" + entry.path().filename().string() + ".json"));
      std::ofstream(validate.back()) << result.dump();
      const std::string first = deterministic_part(result);
      for (int i = 0; i < 2; i++) CHECK(deterministic_part(grade(assignment, entry.path().string())) == first);
    }
  auto valid = shmtest::run(validate);
  INFO(valid.describe());
  CHECK(valid.exit_code == 0);
}
