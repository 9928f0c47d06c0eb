// The limits a sandboxed run is held to: one table with the flag, unit and defaults of each, and how each
// is enforced. Code indexes limits by the Limit enum; nothing else lists them.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace shm::sandbox {

enum class Limit { WallTime, CpuTime, Memory, Processes, OpenFiles, FileSize, Disk, Output, Shm, kCount };
constexpr std::size_t kLimitCount = std::size_t(Limit::kCount);

enum class Profile { Run, Compile };

struct LimitSpec {
  Limit limit;
  const char* flag;      // CLI flag without dashes: --time
  const char* unit;      // what the flag's number counts: "s", "MiB", "KiB", ""
  uint64_t unit_scale;   // the flag's unit in the limit's base unit (ms or bytes or count)
  uint64_t run_default;  // in base units
  uint64_t compile_default;
  const char* help;  // what it limits and how it is enforced
};

const std::array<LimitSpec, kLimitCount>& limit_table();

// Values in base units: milliseconds for times, bytes for sizes, a count otherwise.
struct Limits {
  std::array<uint64_t, kLimitCount> value{};
  static Limits defaults(Profile profile);
  uint64_t operator[](Limit l) const { return value[std::size_t(l)]; }
  uint64_t& operator[](Limit l) { return value[std::size_t(l)]; }
};

}  // namespace shm::sandbox
