#include <catch2/catch.hpp>

#include "suite_guard.hpp"
#include "process.hpp"

using namespace shmtest;

TEST_CASE("sysv: the counter over a System V segment is exact and leaves no segment", "[reference][sysv]") {
  auto [n, iters] = GENERATE(table<int, int>({{1, 10}, {3, 10000}, {8, 2000}}));
  auto before = ipc_snapshot();
  auto result = run({reference_program("sysv"), std::to_string(n), std::to_string(iters)});
  INFO(result.describe());
  REQUIRE(result.ok());
  CHECK(result.out == std::to_string(n * iters) + "\n");
  CHECK(ipc_added(before, ipc_snapshot()).empty());
}

TEST_CASE("sysv: the segment is removed even when the program is killed mid-run", "[reference][sysv]") {
  auto before = ipc_snapshot();
  auto result = run({reference_program("sysv"), "4", "100000000"}, {.timeout_s = 0.5});
  CHECK(result.timed_out);
  CHECK(ipc_added_settled(before).empty());  // IPC_RMID came right after shmat: gone with the last detach
}
