// The cluster and CI templates in ci/cluster (Slurm's run for real in tests/cluster/slurm_test.sh): their YAML
// parses, and the numbers that must agree do (shards asked for and shards counted, the flags --shard auto reads).
// The student repositories' templates in ci/templates: their steps run here against a sample repository.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include "process.hpp"

namespace {

const std::filesystem::path kTemplates = std::filesystem::path(SOURCE_DIR) / "ci/cluster";

YAML::Node load(const std::string& name) {
  INFO(name);
  YAML::Node node;
  REQUIRE_NOTHROW(node = YAML::LoadFile((kTemplates / name).string()));
  return node;
}

std::string joined(const YAML::Node& list) {
  std::string text;
  for (const auto& item : list) text += item.as<std::string>() + "\n";
  return text;
}

}  // namespace

TEST_CASE("templates: the Kubernetes Indexed Job counts its shards as it grades them and never retries bad input",
          "[templates]") {
  auto job = load("kubernetes/grade-job.yaml");
  CHECK(job["kind"].as<std::string>() == "Job");
  CHECK(job["spec"]["completionMode"].as<std::string>() == "Indexed");
  const int completions = job["spec"]["completions"].as<int>();
  const std::string command = joined(job["spec"]["template"]["spec"]["containers"][0]["args"]);
  CHECK_THAT(command, Catch::Contains("--shard auto --shard-count " + std::to_string(completions)));
  CHECK_THAT(command, Catch::Contains("shard-$JOB_COMPLETION_INDEX"));
  bool fails_on_usage = false;
  for (const auto& rule : job["spec"]["podFailurePolicy"]["rules"])
    if (rule["onExitCodes"] && rule["onExitCodes"]["values"][0].as<int>() == 2) fails_on_usage = true;
  CHECK(fails_on_usage);
  auto merge = load("kubernetes/merge-job.yaml");
  CHECK_THAT(joined(merge["spec"]["template"]["spec"]["containers"][0]["args"]), Catch::Contains("shmgrade merge"));
}

TEST_CASE("templates: GitHub's matrix passes job-index and job-total and GitLab's parallel retries only exit 3",
          "[templates]") {
  auto github = load("github/class-matrix.yml");
  const auto steps = github["jobs"]["shard"]["steps"];
  std::string runs;
  for (const auto& step : steps)
    if (step["run"]) runs += step["run"].as<std::string>();
  CHECK_THAT(runs, Catch::Contains("--shard ${{ strategy.job-index }}/${{ strategy.job-total }}"));
  CHECK(github["jobs"]["merge"]["needs"].as<std::string>() == "shard");
  CHECK(github["jobs"]["merge"]["if"].as<std::string>() == "always()");

  auto gitlab = load("gitlab/class-parallel.yml");
  CHECK(gitlab["grade-shard"]["parallel"].as<int>() > 1);
  CHECK_THAT(joined(gitlab["grade-shard"]["script"]), Catch::Contains("--shard auto"));
  CHECK(gitlab["grade-shard"]["retry"]["exit_codes"][0].as<int>() == 3);
  CHECK_THAT(joined(gitlab["merge"]["script"]), Catch::Contains("shmgrade merge shard-*"));
}

namespace {

// A student's repository holding SAMPLE, with shmgrade and a sudo that only runs its command on the PATH.
struct StudentRepo {
  shmtest::TempDir repo, bin;
  explicit StudentRepo(const std::string& sample) {
    namespace fs = std::filesystem;
    fs::copy(fs::path(SOURCE_DIR) / "assignments/counter/samples" / sample / "counter.c", repo.file("counter.c"));
    fs::create_symlink(SHMGRADE_BIN, bin.file("shmgrade"));
    std::ofstream(bin.file("sudo")) << "#!/bin/sh\n[ \"$1\" = -E ] && shift\nexec \"$@\"\n";
    fs::permissions(bin.file("sudo"), fs::perms::owner_all);
  }
  // Runs SCRIPT in the repository as a CI runner's shell does (bash -e), with ENV exported.
  shmtest::ProcessResult run(const std::string& script, const std::string& env = "") {
    return shmtest::run({"/bin/bash", "-e", "-c", "export PATH=" + bin.path() + ":$PATH " + env + "\ncd " + repo.path() +
                                                      "\n" + script},
                        {.timeout_s = 120});
  }
};

}  // namespace

TEST_CASE("templates: the student workflow for GitHub annotates lines and writes the summary and SARIF it uploads",
          "[templates]") {
  auto workflow = load("../templates/github-student.yml");
  StudentRepo repo("null_check");
  const std::string summary = repo.repo.file("summary.md");
  shmtest::ProcessResult graded;
  int steps = 0;
  for (const auto& step : workflow["jobs"]["grade"]["steps"]) {
    if (!step["run"] || step["name"].as<std::string>().rfind("install", 0) == 0) continue;  // the runner's, not ours
    graded = repo.run(step["run"].as<std::string>(), "ASSIGNMENT=" + workflow["jobs"]["grade"]["env"]["ASSIGNMENT"].as<std::string>() +
                                                         " GITHUB_STEP_SUMMARY=" + summary);
    steps++;
  }
  INFO(graded.describe());
  CHECK(steps == 1);
  CHECK(graded.exit_code == 1);  // below full marks: the job fails
  CHECK_THAT(graded.out, Catch::Contains("::error file=") && Catch::Contains("counter.c"));
  std::ifstream in(summary);
  CHECK_THAT(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()), Catch::Contains("10 / 17"));
  std::ifstream sarif_file(repo.repo.file("shmgrade.sarif"));
  const auto sarif = nlohmann::json::parse(sarif_file, nullptr, false);
  REQUIRE_FALSE(sarif.is_discarded());
  CHECK(sarif["version"] == "2.1.0");
  for (const auto& r : sarif["runs"][0]["results"])  // relative to the checkout, as code scanning links them
    CHECK(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "counter.c");
  bool uploads = false;
  for (const auto& step : workflow["jobs"]["grade"]["steps"])
    if (step["uses"] && step["uses"].as<std::string>().rfind("github/codeql-action/upload-sarif", 0) == 0)
      uploads = step["with"]["sarif_file"].as<std::string>() == "shmgrade.sarif" && step["if"].as<std::string>() == "always()";
  CHECK(uploads);
}

TEST_CASE("templates: the student job for GitLab writes the JUnit and Code Quality reports it declares and fails below full marks",
          "[templates]") {
  auto ci = load("../templates/gitlab-student.yml");
  const auto job = ci["shmgrade"];
  for (const auto& [sample, status] : {std::pair{"null_check", 1}, {"correct_atomic", 0}}) {
    StudentRepo repo(sample);
    auto r = repo.run(joined(job["script"]), "ASSIGNMENT=" + job["variables"]["ASSIGNMENT"].as<std::string>());
    INFO(sample << "\n" << r.describe());
    CHECK(r.exit_code == status);
    const std::string report = job["artifacts"]["reports"]["junit"].as<std::string>();
    CHECK(shmtest::run({"/usr/bin/xmllint", "--noout", repo.repo.file(report)}).exit_code == 0);
    std::ifstream quality_file(repo.repo.file(job["artifacts"]["reports"]["codequality"].as<std::string>()));
    const auto quality = nlohmann::json::parse(quality_file, nullptr, false);
    REQUIRE(quality.is_array());
    CHECK(quality.empty() == (status == 0));
    for (const auto& issue : quality) CHECK(issue["location"]["path"] == "counter.c");  // relative to the checkout
  }
}
