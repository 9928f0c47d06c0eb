// xrace on its fixtures: each happens-before edge gives no race with the edge and a race without it; races
// between unrelated processes through a POSIX shm object, a SysV segment and a file both map; a report names
// both accesses and the object, once per pair of sites; reports resolve to the fixture's lines.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>

#include "process.hpp"
#include "trace/tracer.hpp"

namespace {

std::string fixture(const std::string& name) { return std::string(RACE_FIXTURE_DIR) + "/" + name; }

struct Races {
  std::vector<nlohmann::json> reports;
  shmtest::ProcessResult result;
};

// Runs the command with its own side table and report in a fresh directory.
Races run_xrace(const std::vector<std::string>& command, const std::string& extra_env = "") {
  shmtest::TempDir dir;
  std::vector<std::string> argv = {"/usr/bin/env", "XRACE_TABLE=" + dir.file("table"), "XRACE_REPORT=" + dir.file("report")};
  if (!extra_env.empty()) argv.push_back(extra_env);
  argv.insert(argv.end(), command.begin(), command.end());
  Races r;
  r.result = shmtest::run(argv, {.timeout_s = 60});
  std::ifstream in(dir.file("report"));
  for (std::string line; std::getline(in, line);) r.reports.push_back(nlohmann::json::parse(line));
  return r;
}

}  // namespace

TEST_CASE("xrace: each happens-before edge orders the accesses, and without it they race", "[xrace]") {
  for (const char* edge : {"fork_edge", "wait_edge", "killed_edge", "thread_edge", "thread_exit_edge", "mutex_edge",
                           "spin_edge", "rwlock_edge", "cond_edge", "barrier_edge", "sem_edge", "named_sem_edge",
                           "sysv_sem_edge", "atomic_edge", "fcntl_lock_edge", "flock_edge", "pipe_edge", "signal_edge",
                           "read_shared"}) {
    INFO(edge);
    auto with = run_xrace({fixture(edge), "with"});
    INFO(with.result.describe());
    CHECK(with.result.ok());
    CHECK(with.reports.empty());
    auto without = run_xrace({fixture(edge), "without"});
    INFO(without.result.describe());
    CHECK(without.result.ok());
    CHECK(without.reports.size() >= 1);
  }
}

TEST_CASE("xrace: a wait on a counting semaphore is ordered after the posts it needed, not every post before it",
          "[xrace]") {
  // With every post before it, two producers that share a ring's tail without a lock look ordered whenever a
  // consumer ran between them, so the race came and went with the schedule. Counted, it is found every time,
  // and a ring the semaphores alone guard is still clean.
  auto spsc = run_xrace({fixture("sem_ring"), "spsc"});
  INFO(spsc.result.describe());
  CHECK(spsc.result.ok());
  CHECK(spsc.result.out == "20100\n");
  CHECK(spsc.reports.empty());
  for (int run = 0; run < 5; run++) {
    INFO("run " << run);
    auto with = run_xrace({fixture("sem_ring"), "with"});
    CHECK(with.result.ok());
    CHECK(with.reports.empty());
    auto without = run_xrace({fixture("sem_ring"), "without"});
    CHECK(without.reports.size() >= 1);
    auto staggered = run_xrace({fixture("sem_ring"), "staggered"});
    CHECK(staggered.reports.size() >= 1);
  }
}

TEST_CASE("xrace: unrelated processes race through a shm object, a SysV segment and a file", "[xrace]") {
  for (const char* kind : {"shm", "sysv", "file"}) {
    for (const char* edge : {"with", "without"}) {
      INFO(kind << " " << edge);
      const std::string name = shmtest::unique_shm_name(std::string("xr") + kind + edge);
      const std::string program = fixture("unrelated");
      // Started by a shell, side by side: neither process is the other's parent.
      auto r = run_xrace({"/bin/sh", "-c",
                          program + " " + kind + " reader " + name + " " + edge + " & " + program + " " + kind + " writer " +
                              name + " " + edge + "; wait"});
      INFO(r.result.describe());
      CHECK(r.result.ok());
      CHECK(r.result.out == "42\n");
      CHECK(r.reports.size() == (std::string(edge) == "with" ? 0u : 1u));
      if (!r.reports.empty()) {
        const auto& race = r.reports[0];
        CHECK(race["access"]["write"] == false);  // the reader's load, after the writer's store
        CHECK(race["previous"]["write"] == true);
        CHECK(race["access"]["pid"] != race["previous"]["pid"]);
        CHECK(race["offset"] == 4);
        const std::string object = race["object"];
        if (std::string(kind) == "shm") CHECK(object == "shm:" + name);
        if (std::string(kind) == "sysv") CHECK(object.rfind("sysv:", 0) == 0);
        if (std::string(kind) == "file") CHECK(object == "/tmp" + name + ".file");
      }
    }
  }
}

TEST_CASE("xrace: a process that ended before another began is ordered before it (a shell ran them in turn)", "[xrace]") {
  const std::string name = shmtest::unique_shm_name("xrseq");
  const std::string program = fixture("unrelated");
  auto r = run_xrace({"/bin/sh", "-c", program + " shm writer " + name + " without && " + program + " shm reader " + name + " without"});
  INFO(r.result.describe());
  CHECK(r.result.out == "42\n");
  CHECK(r.reports.empty());
}

TEST_CASE("xrace: a process the shell forked before another ended is not ordered after it, however late it ran",
          "[xrace]") {
  // Under load a process started with & can begin to run after its sibling has ended; the shell did not wait
  // for the sibling, so nothing orders them and the race must still be found.
  const std::string name = shmtest::unique_shm_name("xrlate");
  const std::string program = fixture("unrelated");
  auto r = run_xrace({"/bin/sh", "-c",
                      program + " shm writer " + name + " without & (sleep 0.5; exec " + program + " shm reader " + name +
                          " without); wait"});
  INFO(r.result.describe());
  CHECK(r.result.out == "42\n");
  REQUIRE(r.reports.size() == 1);
  CHECK(r.reports[0]["access"]["write"] == false);
  CHECK(r.reports[0]["previous"]["write"] == true);
}

TEST_CASE("xrace: a race is reported once per pair of sites, and its sites resolve to the source lines", "[xrace]") {
  auto r = run_xrace({fixture("mutex_edge"), "without"});
  // 2000 racing increments, each a load and a store (two sites on one line): at most a report per pair.
  REQUIRE(!r.reports.empty());
  CHECK(r.reports.size() <= 3);
  std::vector<std::string> source;
  std::ifstream in(std::string(RACE_FIXTURE_SOURCE_DIR) + "/mutex_edge.c");
  for (std::string line; std::getline(in, line);) source.push_back(line);
  for (const auto& race : r.reports) {
    CHECK(race["object"].get<std::string>().rfind("anonymous #", 0) == 0);
    CHECK(race["size"] == 4);
    auto sites = shm::trace::call_sites_offline(
        fixture("mutex_edge"), {race["access"]["site"].get<uint64_t>(), race["previous"]["site"].get<uint64_t>()}, "/");
    for (const auto& site : sites) {
      CHECK(std::string(site.file).ends_with("mutex_edge.c"));
      REQUIRE(site.line >= 1);
      REQUIRE(size_t(site.line) <= source.size());
      CHECK_THAT(source[size_t(site.line) - 1], Catch::Contains("s->count++"));
    }
  }
}

TEST_CASE("xrace: a lock only each process's own copy of, or one in shared memory made process-private, is reported at its line", "[xrace]") {
  std::vector<std::string> source;
  std::ifstream in(std::string(RACE_FIXTURE_SOURCE_DIR) + "/lock_misuse.c");
  for (std::string line; std::getline(in, line);) source.push_back(line);
  auto line_of = [&](const nlohmann::json& report) {
    auto sites = shm::trace::call_sites_offline(fixture("lock_misuse"), {report["site"].get<uint64_t>()}, "/");
    return sites[0].line >= 1 && size_t(sites[0].line) <= source.size() ? source[size_t(sites[0].line) - 1] : "";
  };
  auto misuse = [](const Races& r) {
    std::vector<nlohmann::json> out;
    for (const auto& j : r.reports)
      if (j.contains("kind")) out.push_back(j);
    return out;
  };
  auto priv = misuse(run_xrace({fixture("lock_misuse"), "private"}));
  REQUIRE(priv.size() == 1);  // once per site, though two processes wait there 100 times each
  CHECK(priv[0]["kind"] == "sync-not-shared");
  CHECK_THAT(line_of(priv[0]), Catch::Contains("SEM-WAIT"));
  auto not_pshared = misuse(run_xrace({fixture("lock_misuse"), "not-pshared"}));
  REQUIRE(not_pshared.size() == 1);
  CHECK(not_pshared[0]["kind"] == "mutex-not-pshared");
  CHECK(not_pshared[0]["object"].get<std::string>().rfind("anonymous #", 0) == 0);
  CHECK_THAT(line_of(not_pshared[0]), Catch::Contains("MUTEX-INIT"));
  CHECK(run_xrace({fixture("lock_misuse"), "right"}).reports.empty());
}

TEST_CASE("xrace: without XRACE_TABLE it stays off and the program runs as it would", "[xrace]") {
  auto r = shmtest::run({fixture("sem_edge"), "with"});
  CHECK(r.ok());
  CHECK(r.out == "42\n");
}
