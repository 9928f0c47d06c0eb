// What CI platforms take: SARIF validated by Microsoft's SARIF Multitool with GitHub's ingestion rules, JUnit as a
// JUnit parser reads it, GitLab Code Quality and the result JSON against their schemas, paths relative to one
// source root in every format, and grade's exit statuses (--fail-under, --exit-zero). Four submissions cover
// the shapes a report must carry: a finding at a line, findings with no line, a rejected submission and one
// that does not compile.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "process.hpp"

namespace fs = std::filesystem;

namespace {

const std::string kSource = SOURCE_DIR;
const std::string kValidate = kSource + "/tests/formats/validate.py";
const std::string kMultitool = kSource + "/tests/formats/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool";

// The four submissions, graded from the checkout's root as a pipeline would (the samples lie under it, the
// temporary ones do not).
struct Submissions {
  shmtest::TempDir rejected, broken;
  const std::string located = "assignments/mapcat/samples/unaligned_offset";  // unaligned-offset at mapcat.c:30
  const std::string unlocated = "assignments/mapcat/samples/fixed_window";    // wrong-output, no line
  Submissions() {
    std::ofstream(broken.file("mapcat.c")) << "int main( {\n";
  }
  std::vector<std::string> all() const { return {located, unlocated, rejected.path(), broken.path()}; }
};

// shmgrade grade mapcat SUBMISSION --format FORMAT ARGS..., run in the checkout's root.
shmtest::ProcessResult grade(const std::string& submission, const std::string& format, std::vector<std::string> args = {}) {
  std::vector<std::string> argv = {"/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", kSource, SHMGRADE_BIN, "grade", "mapcat",
                                   submission, "--format", format};
  argv.insert(argv.end(), args.begin(), args.end());
  return shmtest::run(argv, {.timeout_s = 180});
}

std::string graded_file(const shmtest::TempDir& dir, const std::string& submission, const std::string& format, size_t i,
                        std::vector<std::string> args = {}) {
  const std::string file = dir.file(std::to_string(i) + "." + format);
  args.insert(args.end(), {"--out", file});
  auto r = grade(submission, format, args);
  INFO(submission << ": " << r.describe());
  CHECK((r.exit_code == 0 || r.exit_code == 1));
  return file;
}

nlohmann::json read_json(const std::string& file) {
  std::ifstream in(file);
  return nlohmann::json::parse(in);
}

}  // namespace

TEST_CASE("ci formats: SARIF passes the SARIF Multitool with GitHub's ingestion rules, and every result has a location under the source root",
          "[grade][formats]") {
  if (!fs::exists(kMultitool)) FAIL("the SARIF Multitool is missing: run ci/deps (npm ci in tests/formats)");
  Submissions subs;
  shmtest::TempDir out;
  std::vector<std::string> files;
  for (const auto& s : subs.all()) files.push_back(graded_file(out, s, "sarif", files.size()));

  std::vector<std::string> argv = {"/usr/bin/env", "DOTNET_CLI_TELEMETRY_OPTOUT=1", "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1",
                                   kMultitool, "validate", "--rule-kind", "Sarif;Gh", "--output", out.file("validation.sarif")};
  argv.insert(argv.end(), files.begin(), files.end());
  auto validated = shmtest::run(argv, {.timeout_s = 120});
  INFO(validated.describe());
  REQUIRE(validated.exit_code == 0);
  // Errors and warnings fail, but SARIF2017 on a finding placed at a whole file: a wrong output or a timeout is
  // the program's as a whole, and a region would point GitHub at a line that is not at fault.
  size_t problems = 0, whole_file = 0;
  const auto validation = read_json(out.file("validation.sarif"));
  for (const auto& run : validation["runs"])
    for (const auto& result : run["results"]) {
      const std::string level = result.value("level", "warning");  // SARIF's default level
      if (level != "error" && level != "warning") continue;
      if (result["ruleId"] == "SARIF2017" && level == "warning") {
        whole_file++;
        continue;
      }
      problems++;
      UNSCOPED_INFO(result["ruleId"].get<std::string>() << ": " << result["message"].dump());
    }
  CHECK(whole_file == 3);  // fixed_window's two wrong-output findings and the rejected submission
  CHECK(problems == 0);

  for (size_t i = 0; i < files.size(); i++) {
    INFO(subs.all()[i]);
    const auto run = read_json(files[i])["runs"][0];
    const std::string root = run["originalUriBaseIds"]["SRCROOT"]["uri"];
    CHECK(root.rfind("file:///", 0) == 0);
    CHECK(root.back() == '/');
    CHECK_FALSE(run["results"].empty());  // each of the four has something to say
    for (const auto& r : run["results"]) {
      const auto& location = r["locations"][0]["physicalLocation"]["artifactLocation"];
      const std::string uri = location["uri"];
      CHECK(location["uriBaseId"] == "SRCROOT");
      CHECK(uri.front() != '/');
      CHECK(uri.find("..") == std::string::npos);
    }
  }
  // Under the current directory: relative to it; elsewhere: relative to the submission itself.
  const auto located = read_json(files[0])["runs"][0]["results"][0];
  CHECK(located["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == subs.located + "/mapcat.c");
  CHECK(located["locations"][0]["physicalLocation"]["region"]["startLine"] == 30);
  const auto unlocated = read_json(files[1])["runs"][0]["results"][0];
  CHECK(unlocated["ruleId"] == "wrong-output");
  CHECK(unlocated["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == subs.unlocated + "/mapcat.c");
  CHECK_FALSE(unlocated["locations"][0]["physicalLocation"].contains("region"));
  CHECK(read_json(files[3])["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "mapcat.c");

  // --source-root, and the github format placing the finding at the same path.
  const std::string rooted = graded_file(out, subs.located, "sarif", 9, {"--source-root", "assignments/mapcat"});
  CHECK(read_json(rooted)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] ==
        "samples/unaligned_offset/mapcat.c");
  auto github = grade(subs.located, "github");
  CHECK_THAT(github.out, Catch::Contains("::error file=" + subs.located + "/mapcat.c,line=30,"));
  auto github_unlocated = grade(subs.unlocated, "github");
  CHECK_THAT(github_unlocated.out, Catch::Contains("::error file=" + subs.unlocated + "/mapcat.c,title=wrong-output"));
}

TEST_CASE("ci formats: JUnit as a JUnit parser reads it: a rejected or uncompilable submission fails with its reason, and testcases carry file and line",
          "[grade][formats]") {
  Submissions subs;
  shmtest::TempDir out;
  auto read = [&](const std::string& submission, size_t i) {
    auto r = shmtest::run({"/usr/bin/python3", kValidate, "junit", graded_file(out, submission, "junit", i)});
    INFO(r.describe());
    REQUIRE(r.exit_code == 0);
    return nlohmann::json::parse(r.out);
  };
  auto case_named = [](const nlohmann::json& report, const std::string& name) {
    for (const auto& c : report["cases"])
      if (c["name"] == name) return c;
    FAIL("no testcase " << name << " in " << report.dump());
    return nlohmann::json();
  };

  const auto rejected = read(subs.rejected.path(), 0);
  CHECK(rejected["failures"].get<int>() >= 1);
  const auto build = case_named(rejected, "build");
  CHECK(build["result"] == "failure");
  CHECK_THAT(build["text"].get<std::string>(), Catch::Contains("rejected: ") && Catch::Contains("no source"));

  const auto broken = read(subs.broken.path(), 1);
  CHECK(broken["failures"].get<int>() >= 1);
  const auto compile = case_named(broken, "build");
  CHECK(compile["result"] == "failure");
  CHECK(compile["file"] == "mapcat.c");
  CHECK(compile["line"] == "1");
  CHECK_THAT(compile["text"].get<std::string>(), Catch::Contains("compile-error"));

  const auto located = read(subs.located, 2);
  bool line_seen = false;
  for (const auto& c : located["cases"]) {
    CHECK(c["file"] == subs.located + "/mapcat.c");
    line_seen |= c["line"] == "30";
  }
  CHECK(line_seen);
  CHECK(read(subs.unlocated, 3)["failures"].get<int>() >= 2);
}

TEST_CASE("ci formats: GitLab Code Quality and the result JSON are valid against their schemas, and fingerprints stay across gradings",
          "[grade][formats]") {
  Submissions subs;
  shmtest::TempDir out;
  std::vector<std::string> quality, results;
  for (const auto& s : subs.all()) {
    quality.push_back(graded_file(out, s, "codequality", quality.size()));
    results.push_back(graded_file(out, s, "json", 10 + results.size()));
  }
  auto valid = [](const std::string& schema, const std::vector<std::string>& files) {
    std::vector<std::string> argv = {"/usr/bin/python3", kValidate, "schema", schema};
    argv.insert(argv.end(), files.begin(), files.end());
    auto r = shmtest::run(argv);
    INFO(r.describe());
    CHECK(r.exit_code == 0);
  };
  valid(kSource + "/tests/formats/codequality.schema.json", quality);
  valid(kSource + "/grader/report/result.schema.json", results);

  const auto located = read_json(quality[0]);
  REQUIRE(located.size() == 1);
  CHECK(located[0]["check_name"] == "unaligned-offset");
  CHECK(located[0]["location"]["path"] == subs.located + "/mapcat.c");
  CHECK(located[0]["location"]["lines"]["begin"] == 30);
  const auto rejected = read_json(quality[2]);
  REQUIRE(rejected.size() == 1);
  CHECK(rejected[0]["check_name"] == "rejected");
  CHECK(rejected[0]["severity"] == "blocker");

  // One entry per finding, each its own fingerprint, the same in another grading.
  const auto first = read_json(quality[1]);
  const auto again = read_json(graded_file(out, subs.unlocated, "codequality", 20));
  CHECK(first.size() == read_json(results[1])["findings"].size());
  std::set<std::string> prints;
  for (const auto& e : first) prints.insert(e["fingerprint"].get<std::string>());
  CHECK(prints.size() == first.size());
  REQUIRE(again.size() == first.size());
  for (size_t i = 0; i < first.size(); i++) CHECK(again[i]["fingerprint"] == first[i]["fingerprint"]);
}

TEST_CASE("grade --fail-under SCORE|PERCENT% and --exit-zero: exit statuses as README's table says", "[grade][formats]") {
  Submissions subs;  // the located one scores 3 of 15
  auto status = [&](const std::string& submission, std::vector<std::string> args) {
    auto r = grade(submission, "json", args);
    INFO(r.describe());
    return r.exit_code;
  };
  CHECK(status(subs.located, {}) == 1);
  CHECK(status(subs.located, {"--fail-under", "3"}) == 0);
  CHECK(status(subs.located, {"--fail-under", "3.5"}) == 1);
  CHECK(status(subs.located, {"--fail-under", "20%"}) == 0);
  CHECK(status(subs.located, {"--fail-under", "21%"}) == 1);
  CHECK(status(subs.located, {"--exit-zero"}) == 0);
  CHECK(status(subs.rejected.path(), {"--fail-under", "0"}) == 1);  // not graded fails whatever the threshold
  CHECK(status(subs.rejected.path(), {"--exit-zero"}) == 0);
  for (const char* bad : {"abc", "-1", "101%", "%", "1e999"}) {
    auto r = grade(subs.located, "json", {"--fail-under", bad});
    INFO(bad << ": " << r.describe());
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains(std::string("--fail-under ") + bad + ":"));
  }
}
