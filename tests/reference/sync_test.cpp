#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.hpp"
#include "shmref.h"

using namespace shmtest;

TEST_CASE("syncdemo: every primitive keeps the shared count exact", "[reference][sync]") {
  auto mode = GENERATE(as<std::string>{}, "mutex", "sem", "named", "atomic");
  auto [n, iters] = GENERATE(table<int, int>({{1, 1000}, {4, 10000}, {8, 2000}}));
  auto result = run({reference_program("syncdemo"), mode, std::to_string(n), std::to_string(iters)});
  INFO(mode << " " << result.describe());
  REQUIRE(result.ok());
  CHECK(result.out == std::to_string(n * iters) + "\n");
}

TEST_CASE("syncdemo robust: the next locker recovers after the holder is SIGKILLed", "[reference][sync]") {
  auto result = run({reference_program("syncdemo"), "robust"});
  INFO(result.describe());
  REQUIRE(result.ok());
  CHECK_THAT(result.out, Catch::Contains("repairing: holder died") && Catch::Contains("recovered: EOWNERDEAD") &&
                             Catch::Contains("count 1, in_update 0"));
}

namespace {
struct Guarded {
  pthread_mutex_t lock;
  int value;
  int repairs;
};
void repair(void* arg) { static_cast<Guarded*>(arg)->repairs++; }
}  // namespace

TEST_CASE("shm_mutex_lock_robust: EOWNERDEAD once, repaired, then the mutex works normally", "[reference][sync]") {
  shm_error err;
  auto* g = static_cast<Guarded*>(shm_map_anon_bsd(sizeof(Guarded), &err));
  REQUIRE(g != nullptr);
  REQUIRE(shm_mutex_init(&g->lock, 1, &err) == 0);

  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    pthread_mutex_lock(&g->lock);
    g->value = 42;
    kill(getpid(), SIGKILL);
  }
  int status;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  CHECK(shm_mutex_lock_robust(&g->lock, repair, g, &err) == 1);
  CHECK(g->repairs == 1);
  CHECK(g->value == 42);
  pthread_mutex_unlock(&g->lock);
  CHECK(shm_mutex_lock_robust(&g->lock, repair, g, &err) == 0);  // consistent again: no second repair
  CHECK(g->repairs == 1);
  pthread_mutex_unlock(&g->lock);
  pthread_mutex_destroy(&g->lock);
  munmap(g, sizeof(Guarded));
}
