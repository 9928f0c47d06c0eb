// batch --shard and merge: every engine's variables, a stable split, shards merged into exactly what one
// machine writes, and a merge that names what is missing with the command that reruns it.
#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "batch/merge.hpp"
#include "batch/shard.hpp"
#include "batch_support.hpp"

namespace fs = std::filesystem;
using namespace batchtest;
namespace sb = shm::batch;

namespace {

sb::Environment fake(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
}

std::string shard_of(const std::string& text, std::map<std::string, std::string> vars, std::optional<size_t> count = {}) {
  auto s = sb::parse_shard(text, count, fake(std::move(vars)));
  return s ? std::to_string(s->index) + "/" + std::to_string(s->count) + " " + s->source : "error: " + s.error().message();
}

std::vector<std::string> files_under(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("shard: K/N and Slurm's stepped arrays and Kubernetes and GitLab read right and a missing or inconsistent variable is an error",
          "[batch][shard]") {
  CHECK(shard_of("2/5", {}) == "2/5 --shard");
  CHECK_THAT(shard_of("5/5", {}), Catch::Contains("past the last"));
  CHECK_THAT(shard_of("1", {}), Catch::Contains("expected K/N"));
  CHECK_THAT(shard_of("-1/3", {}), Catch::Contains("expected K/N"));
  CHECK_THAT(shard_of("0/0", {}), Catch::Contains("count of 0"));
  // sbatch --array=1-10:3 makes tasks 1, 4, 7, 10.
  const std::map<std::string, std::string> slurm = {{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_MIN", "1"},
                                                    {"SLURM_ARRAY_TASK_STEP", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}};
  CHECK(shard_of("auto", slurm) == "2/4 Slurm");
  auto off_range = slurm;
  off_range["SLURM_ARRAY_TASK_ID"] = "6";
  CHECK_THAT(shard_of("auto", off_range), Catch::Contains("SLURM_ARRAY_TASK_ID=6 is not on the array's range"));
  auto no_count = slurm;
  no_count.erase("SLURM_ARRAY_TASK_COUNT");
  CHECK_THAT(shard_of("auto", no_count), Catch::Contains("sets no SLURM_ARRAY_TASK_COUNT"));
  CHECK(shard_of("auto", {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_MIN", "3"}, {"SLURM_ARRAY_TASK_COUNT", "2"}}) ==
        "0/2 Slurm");
  CHECK(shard_of("auto", {{"JOB_COMPLETION_INDEX", "3"}}, 4) == "3/4 Kubernetes");
  CHECK_THAT(shard_of("auto", {{"JOB_COMPLETION_INDEX", "3"}}), Catch::Contains("--shard-count"));
  CHECK_THAT(shard_of("auto", {{"JOB_COMPLETION_INDEX", "4"}}, 4), Catch::Contains("past the last"));
  CHECK(shard_of("auto", {{"CI_NODE_INDEX", "1"}, {"CI_NODE_TOTAL", "3"}}) == "0/3 GitLab");
  CHECK_THAT(shard_of("auto", {{"CI_NODE_INDEX", "0"}, {"CI_NODE_TOTAL", "3"}}), Catch::Contains("counts from 1"));
  CHECK_THAT(shard_of("auto", {{"CI_NODE_INDEX", "x"}, {"CI_NODE_TOTAL", "3"}}), Catch::Contains("not a whole number"));
  CHECK_THAT(shard_of("auto", {}), Catch::Contains("strategy.job-index"));

  // Every id is in exactly one shard, the same one every time, and the split is roughly even.
  for (size_t n = 1; n <= 5; n++) {
    std::vector<int> sizes(n, 0);
    for (int i = 0; i < 1000; i++) {
      int in = 0;
      for (size_t k = 0; k < n; k++)
        if (sb::in_shard("student" + std::to_string(i), {k, n, ""})) in++, sizes[k]++;
      REQUIRE(in == 1);
    }
    for (int size : sizes) CHECK(std::abs(size - 1000 / int(n)) < 1000 / int(n) / 4);
  }
}

TEST_CASE("shard: three shards merged are what one machine writes and a missing or unfinished or foreign shard is named",
          "[batch][shard]") {
  shmtest::TempDir input, single, s0, s1, s2, merged, roster_dir;
  make_class(input.path());
  const std::string roster = roster_dir.file("roster.csv");
  shell("printf 'id,name\\nalice,\"Alice, A\"\\nbob,Bob\\nzoe,Zoe Missing\\n' > " + roster);
  REQUIRE(batch(input.path(), single.path(), {"--roster", roster}).exit_code == 1);
  size_t graded = 0;
  for (auto [k, dir] : {std::pair{0, &s0}, {1, &s1}, {2, &s2}}) {
    auto r = batch(input.path(), dir->path(), {"--roster", roster, "--shard", std::to_string(k) + "/3"});
    INFO(r.describe());
    CHECK(r.exit_code <= 1);
    CHECK_THAT(r.out, Catch::Contains("shard " + std::to_string(k) + "/3"));
    CHECK_FALSE(fs::exists(dir->file("gradebook.csv")));  // the merge's to write
    graded += files_under(dir->path() + "/results").size();
  }
  CHECK(graded == 5);  // each student in one shard

  auto merge = [&](std::vector<std::string> dirs, const std::string& out) {
    std::vector<std::string> argv = {SHMGRADE_BIN, "merge"};
    argv.insert(argv.end(), dirs.begin(), dirs.end());
    argv.insert(argv.end(), {"--out", out});
    return shmtest::run(argv, {.timeout_s = 120});
  };
  auto r = merge({s2.path(), s0.path(), s1.path()}, merged.path());
  INFO(r.describe());
  CHECK(r.exit_code == 1);
  CHECK_THAT(r.out, Catch::Contains("students 5") && Catch::Contains("missing (on the roster, no submission): 1"));
  for (const char* file : {"gradebook.csv", "canvas.csv"}) {
    INFO(file);
    CHECK(read(merged.file(file)) == read(single.file(file)));
  }
  CHECK(results_without_timing(merged.path()) == results_without_timing(single.path()));
  CHECK(files_under(merged.path() + "/feedback") == files_under(single.path() + "/feedback"));
  for (const auto& name : files_under(single.path() + "/feedback"))
    CHECK(read(merged.file("feedback/" + name)) == read(single.file("feedback/" + name)));

  shmtest::TempDir out2, out3, out4, other_seed;
  auto missing = merge({s0.path(), s2.path()}, out2.path());
  CHECK(missing.exit_code == 4);
  CHECK_THAT(missing.err, Catch::Contains("incomplete: shard 1/3: no results dir given"));
  CHECK_THAT(missing.err, Catch::Contains(" batch counter " + input.path() + " --out DIR-FOR-SHARD-1 --shard 1/3"));
  CHECK_FALSE(fs::exists(out2.file("gradebook.csv")));

  // A shard killed before it finished: its manifest says so, and the rerun is its own command.
  const std::string manifest = read(s1.file("shard.json"));
  shell("sed -i 's/\"complete\": true/\"complete\": false/' " + s1.file("shard.json"));
  auto unfinished = merge({s0.path(), s1.path(), s2.path()}, out3.path());
  CHECK(unfinished.exit_code == 4);
  CHECK_THAT(unfinished.err, Catch::Contains("shard 1/3 in " + s1.path() + ": did not finish"));
  CHECK_THAT(unfinished.err, Catch::Contains("--out " + s1.path() + " --shard 1/3"));
  std::ofstream(s1.file("shard.json")) << manifest;

  auto twice = merge({s0.path(), s1.path(), s1.path()}, out4.path());
  CHECK(twice.exit_code == 2);
  CHECK_THAT(twice.err, Catch::Contains("are both shard 1/3"));
  REQUIRE(batch(input.path(), other_seed.path(), {"--roster", roster, "--shard", "1/3", "--seed", "7"}).exit_code <= 1);
  auto foreign = merge({s0.path(), other_seed.path(), s2.path()}, out4.path());
  CHECK(foreign.exit_code == 2);
  CHECK_THAT(foreign.err, Catch::Contains("not shards of one class: the seed differs"));
}

TEST_CASE("shard: --shard auto reads Slurm's variables from the environment and says which one is missing",
          "[batch][shard]") {
  shmtest::TempDir input, out;
  make_class(input.path());
  auto slurm = shmtest::run({"/usr/bin/env", "SLURM_ARRAY_TASK_ID=12", "SLURM_ARRAY_TASK_MIN=10", "SLURM_ARRAY_TASK_STEP=2",
                             "SLURM_ARRAY_TASK_COUNT=2", SHMGRADE_BIN, "batch", "counter", input.path(), "--out",
                             out.path(), "--shard", "auto"},
                            {.timeout_s = 300});
  INFO(slurm.describe());
  CHECK(slurm.exit_code <= 1);
  CHECK_THAT(slurm.out, Catch::Contains("shard 1/2 (Slurm)"));
  auto broken = shmtest::run({"/usr/bin/env", "SLURM_ARRAY_TASK_ID=12", SHMGRADE_BIN, "batch", "counter", input.path(),
                              "--out", out.path(), "--shard", "auto"});
  CHECK(broken.exit_code == 2);
  CHECK_THAT(broken.err, Catch::Contains("Slurm sets no SLURM_ARRAY_TASK_COUNT"));
}
