// The cluster and CI templates in ci/cluster (Slurm's run for real in tests/cluster/slurm_test.sh): their YAML
// parses, and the numbers that must agree do (shards asked for and shards counted, the flags --shard auto reads).
#include <catch2/catch.hpp>

#include <filesystem>
#include <yaml-cpp/yaml.h>

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
