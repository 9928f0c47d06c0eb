#include <catch2/catch.hpp>

#include <fstream>

#include "process.hpp"

using namespace shmtest;

static int first_int_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  int value = -1;
  in.read(reinterpret_cast<char*>(&value), sizeof value);
  return in ? value : -1;
}

TEST_CASE("counter: N processes x M increments give exactly N*M, in stdout and in the file", "[reference][counter]") {
  auto [nprocs, iters] = GENERATE(table<int, int>({{1, 0}, {1, 1000}, {2, 20000}, {4, 5000}, {8, 2000}, {16, 300}}));
  TempDir dir;
  auto file = dir.file("count.bin");
  auto result = run({reference_program("counter"), file, std::to_string(nprocs), std::to_string(iters)});
  INFO(result.describe());
  REQUIRE(result.ok());
  CHECK(result.out == std::to_string(nprocs * iters) + "\n");
  CHECK(first_int_of(file) == nprocs * iters);
}

TEST_CASE("counter: an existing file is reused and the count restarts at 0", "[reference][counter]") {
  TempDir dir;
  auto file = dir.file("count.bin");
  for (int round = 0; round < 2; round++) {
    auto result = run({reference_program("counter"), file, "3", "1000"});
    REQUIRE(result.ok());
    CHECK(result.out == "3000\n");
  }
  CHECK(first_int_of(file) == 3000);
}

TEST_CASE("counter: usage errors exit 2, failing calls exit 1 naming the call", "[reference][counter]") {
  TempDir dir;
  for (auto args : std::vector<std::vector<std::string>>{{}, {"f"}, {"f", "x", "1"}, {"f", "2", "-1"}, {"f", "0", "1"},
                                                         {"f", "2", "3", "4"}}) {
    args.insert(args.begin(), reference_program("counter"));
    auto result = run(args);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.err, Catch::Contains("usage"));
  }
  auto result = run({reference_program("counter"), dir.file("no/such/dir/count"), "2", "10"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::StartsWith("counter: open(") && Catch::Contains("No such file"));
}
