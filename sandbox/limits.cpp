#include "limits.hpp"

namespace shm::sandbox {

namespace {
constexpr uint64_t kMiB = 1 << 20, kKiB = 1 << 10, kSecond = 1000;

// clang-format off
constexpr std::array<LimitSpec, kLimitCount> kTable = {{
  {Limit::WallTime,  "time",   "s",   kSecond, 10 * kSecond, 60 * kSecond,
   "wall-clock time; the supervisor ends the whole run"},
  {Limit::CpuTime,   "cpu",    "s",   kSecond, 10 * kSecond, 60 * kSecond,
   "CPU time of each process (RLIMIT_CPU)"},
  {Limit::Memory,    "memory", "MiB", kMiB,    256 * kMiB,   1024 * kMiB,
   "memory of the whole run, /dev/shm and SysV segments included (cgroup memory; RLIMIT_AS without cgroups)"},
  {Limit::Processes, "procs",  "",    1,       64,           64,
   "processes and threads at once (cgroup pids; RLIMIT_NPROC without cgroups)"},
  {Limit::OpenFiles, "files",  "",    1,       256,          256,
   "open file descriptors per process (RLIMIT_NOFILE)"},
  {Limit::FileSize,  "fsize",  "MiB", kMiB,    64 * kMiB,    256 * kMiB,
   "size of any file written (RLIMIT_FSIZE)"},
  {Limit::Disk,      "disk",   "MiB", kMiB,    256 * kMiB,   512 * kMiB,
   "everything in the work dir together, each file or directory counting at least 1 KiB (checked every 100 ms)"},
  {Limit::Output,    "output", "KiB", kKiB,    1024 * kKiB,  1024 * kKiB,
   "stdout + stderr captured; past it the run is stopped and flagged"},
  {Limit::Shm,       "shm",    "MiB", kMiB,    64 * kMiB,    16 * kMiB,
   "size of the private /dev/shm (tmpfs size=)"},
}};
// clang-format on
}  // namespace

const std::array<LimitSpec, kLimitCount>& limit_table() { return kTable; }

Limits Limits::defaults(Profile profile) {
  Limits limits;
  for (const auto& s : kTable) limits[s.limit] = profile == Profile::Run ? s.run_default : s.compile_default;
  return limits;
}

}  // namespace shm::sandbox
