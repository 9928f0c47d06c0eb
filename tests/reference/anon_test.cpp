#include <catch2/catch.hpp>

#include "process.hpp"

using namespace shmtest;

TEST_CASE("anon: every mode counts exactly", "[reference][anon]") {
  auto mode = GENERATE(as<std::string>{}, "bsd", "svr4", "threads");
  auto [n, iters] = GENERATE(table<int, int>({{1, 100}, {2, 20000}, {4, 5000}, {8, 1000}}));
  auto result = run({reference_program("anon"), mode, std::to_string(n), std::to_string(iters)});
  INFO(mode << " " << result.describe());
  REQUIRE(result.ok());
  CHECK(result.out == std::to_string(n * iters) + "\n");
}

TEST_CASE("anon: an unknown mode is a usage error", "[reference][anon]") {
  for (std::string mode : {"", "BSD", "posix", "thread"}) {
    auto result = run({reference_program("anon"), mode, "2", "10"});
    CHECK(result.exit_code == 2);
  }
}
