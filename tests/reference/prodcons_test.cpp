#include <catch2/catch.hpp>

#include <unistd.h>

#include <regex>

#include "process.hpp"

using namespace shmtest;

namespace {

struct Consumed {
  long count = 0, sum = 0;
};

Consumed parse_consumed(const std::string& out) {
  std::smatch m;
  REQUIRE(std::regex_match(out, m, std::regex("count=(-?\\d+) sum=(-?\\d+)\n")));
  return {std::stol(m[1]), std::stol(m[2])};
}

ProcessResult prodcons(std::vector<std::string> args) {
  args.insert(args.begin(), reference_program("prodcons"));
  return run(args);
}

bool shm_exists(const std::string& name) { return access(("/dev/shm" + name).c_str(), F_OK) == 0; }

}  // namespace

TEST_CASE("prodcons: one producer, one consumer, then destroy removes the object", "[reference][prodcons]") {
  auto name = unique_shm_name("ring");
  REQUIRE(prodcons({"init", name, "4"}).ok());
  CHECK(shm_exists(name));
  REQUIRE(prodcons({"produce", name, "1", "4"}).ok());  // fills the ring exactly
  auto consumed = prodcons({"consume", name, "4"});
  REQUIRE(consumed.ok());
  CHECK(consumed.out == "count=4 sum=10\n");
  REQUIRE(prodcons({"destroy", name}).ok());
  CHECK_FALSE(shm_exists(name));
}

TEST_CASE("prodcons: several unrelated producers and consumers at once lose and duplicate nothing",
          "[reference][prodcons]") {
  auto slots = GENERATE(1, 3, 64);
  auto name = unique_shm_name("many");
  REQUIRE(prodcons({"init", name, std::to_string(slots)}).ok());
  // 3 producers of disjoint ranges, 4 consumers whose counts add up to everything produced.
  const long per_producer = 20000;
  std::vector<Spawned> procs;
  long expected_sum = 0;
  for (long p = 0; p < 3; p++) {
    long start = p * 1000000;
    for (long v = start; v < start + per_producer; v++) expected_sum += v;
    procs.emplace_back(std::vector<std::string>{reference_program("prodcons"), "produce", name,
                                                std::to_string(start), std::to_string(per_producer)});
  }
  for (long c : {15000L, 15000L, 20000L, 10000L})
    procs.emplace_back(std::vector<std::string>{reference_program("prodcons"), "consume", name, std::to_string(c)});
  Consumed total;
  for (auto& proc : procs) {
    auto result = proc.wait();
    INFO(result.describe());
    REQUIRE(result.ok());
    if (!result.out.empty()) {
      auto c = parse_consumed(result.out);
      total.count += c.count;
      total.sum += c.sum;
    }
  }
  CHECK(total.count == 3 * per_producer);
  CHECK(total.sum == expected_sum);
  REQUIRE(prodcons({"destroy", name}).ok());
  CHECK_FALSE(shm_exists(name));
}

TEST_CASE("prodcons: errors name the call, usage errors exit 2", "[reference][prodcons]") {
  auto name = unique_shm_name("missing");
  auto missing = prodcons({"consume", name, "1"});
  CHECK(missing.exit_code == 1);
  CHECK_THAT(missing.err, Catch::Contains("shm_open(" + name + ")"));

  REQUIRE(prodcons({"init", name, "2"}).ok());
  auto twice = prodcons({"init", name, "2"});  // O_EXCL: a leftover is reported, not silently reused
  CHECK(twice.exit_code == 1);
  CHECK_THAT(twice.err, Catch::Contains("File exists"));
  REQUIRE(prodcons({"destroy", name}).ok());

  for (std::vector<std::string> args : {std::vector<std::string>{"init", name, "0"}, {"produce", name, "1"},
                                        {"consume", name, "x"}, {"frobnicate", name}, {"init", "/a/b", "2"}})
    CHECK(prodcons(args).exit_code == 2);
}
