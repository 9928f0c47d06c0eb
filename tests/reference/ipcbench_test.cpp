#include <catch2/catch.hpp>

#include <fstream>
#include <regex>
#include <sstream>

#include "process.hpp"

using namespace shmtest;

TEST_CASE("ipcbench: every transport delivers every message in order, and the table is complete",
          "[reference][ipcbench]") {
  TempDir dir;
  auto csv_path = dir.file("ipc.csv");
  auto result = run({reference_program("ipcbench"), "--quick", "--csv", csv_path}, {.timeout_s = 240});
  INFO(result.describe());
  REQUIRE(result.ok());  // exits 1 when a consumer saw a lost or reordered message

  int rows = 0;
  std::istringstream lines(result.out);
  std::string line;
  const std::regex row(R"((64 B|4 KiB|64 KiB|1 MiB)\s+(memcpy|shm-lockfree|shm-sem|pipe|mqueue|unix-socket)\s+)"
                       R"(([0-9.]+)\s+([0-9]+)\s.*)");
  while (std::getline(lines, line)) {
    std::smatch m;
    if (std::regex_match(line, m, row)) {
      rows++;
      CHECK(std::stod(m[3]) > 0);
    }
  }
  CHECK(rows == 24);
  CHECK_THAT(result.out, Catch::Matches(R"([\s\S]*\nipc: shm-lockfree [0-9.]+x pipe at 64 KiB, [0-9]+% of memcpy\n)"));

  std::ifstream csv(csv_path);
  int csv_lines = 0;
  while (std::getline(csv, line)) csv_lines++;
  CHECK(csv_lines == 25);  // header + 24 cells
}
