#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <random>

#include "process.hpp"

using namespace shmtest;

namespace {

constexpr uint64_t kGiB = uint64_t(1) << 30;
constexpr uint64_t kFileSize = 5 * kGiB + 12345;  // past 4 GiB (32-bit offsets break) and not page-sized
constexpr unsigned long kAddressSpace = 64ul << 20;

// A sparse multi-GiB file with patterned data scattered over it, so that the bytes read back are not all
// zero; holes between the patterns read as zeros.
struct SparseFile {
  TempDir dir;
  std::string path = dir.file("big.bin");
  int fd = -1;

  explicit SparseFile(std::mt19937_64& rng) {
    fd = open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(ftruncate(fd, off_t(kFileSize)) == 0);
    std::vector<uint64_t> at = {0, 4 * kGiB - 3000, kFileSize - 70000};
    for (int i = 0; i < 12; i++) at.push_back(rng() % kFileSize);
    for (uint64_t pos : at) {
      std::string block(std::min<uint64_t>(200000, kFileSize - pos), '\0');
      for (char& c : block) c = char(rng());
      REQUIRE(pwrite(fd, block.data(), block.size(), off_t(pos)) == ssize_t(block.size()));
    }
  }
  ~SparseFile() { close(fd); }

  std::string bytes(uint64_t offset, uint64_t length) const {
    if (offset >= kFileSize) return {};
    length = std::min(length, kFileSize - offset);
    std::string out(length, '\0');
    REQUIRE(pread(fd, out.data(), length, off_t(offset)) == ssize_t(length));
    return out;
  }
};

ProcessResult mapcat(const std::string& path, uint64_t offset, uint64_t length) {
  return run({reference_program("mapcat"), path, std::to_string(offset), std::to_string(length)},
             {.address_space_bytes = kAddressSpace});
}

}  // namespace

TEST_CASE("mapcat: random unaligned windows of a sparse 5 GiB file under a 64 MiB address-space limit",
          "[reference][mapcat]") {
  const char* env_seed = std::getenv("SHMGRADE_TEST_SEED");
  const uint64_t seed = env_seed ? std::strtoull(env_seed, nullptr, 10) : 20261127;
  WARN("mapcat test seed " << seed << " (set SHMGRADE_TEST_SEED to replay)");
  std::mt19937_64 rng(seed);
  SparseFile file(rng);

  for (int i = 0; i < 24; i++) {
    uint64_t offset = rng() % (kFileSize + 5000);
    uint64_t length = i % 3 == 0 ? rng() % 40000 : rng() % (20u << 20);  // some cross window boundaries
    auto result = mapcat(file.path, offset, length);
    INFO("offset " << offset << " length " << length << " " << result.exit_code << " " << result.err);
    REQUIRE(result.ok());
    CHECK(result.out == file.bytes(offset, length));
  }
}

TEST_CASE("mapcat: edges — empty ranges, clamping at end of file, huge lengths", "[reference][mapcat]") {
  std::mt19937_64 rng(7);
  SparseFile file(rng);
  struct Case {
    uint64_t offset, length;
  };
  for (auto c : {Case{0, 0}, Case{0, 1}, Case{4095, 2}, Case{4 * kGiB - 1, 3}, Case{kFileSize - 1, 10},
                 Case{kFileSize, 10}, Case{kFileSize + 4096, 1}, Case{kFileSize - 5000, UINT64_MAX},
                 Case{12345, 0}}) {
    auto result = mapcat(file.path, c.offset, c.length);
    INFO("offset " << c.offset << " length " << c.length << " " << result.err);
    REQUIRE(result.ok());
    CHECK(result.out == file.bytes(c.offset, c.length));
  }
}

TEST_CASE("mapcat: bad arguments exit 2, a missing file exits 1 naming open", "[reference][mapcat]") {
  TempDir dir;
  for (std::vector<std::string> args : {std::vector<std::string>{"f", "-1", "2"}, {"f", "1"}, {"f", "x", "1"},
                                        {"f", "1", "2x"}, {"f", "", "1"}}) {
    args.insert(args.begin(), reference_program("mapcat"));
    CHECK(run(args).exit_code == 2);
  }
  auto result = run({reference_program("mapcat"), dir.file("absent"), "0", "1"});
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.err, Catch::StartsWith("mapcat: open("));
}
