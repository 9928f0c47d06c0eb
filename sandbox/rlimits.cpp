// Per-process limits (setrlimit), from the limits table. Memory and process counts go to the cgroup when
// one is available: rlimits are per process (or per user), a cgroup bounds the whole run.
#include <sys/resource.h>

#include "internal.hpp"

namespace shm::sandbox {

Status apply_rlimits(const Limits& limits, bool memory_by_cgroup, bool procs_by_cgroup) {
  struct Row {
    const char* name;
    int resource;
    uint64_t value;
    bool apply;
  };
  const uint64_t cpu_s = (limits[Limit::CpuTime] + 999) / 1000;
  const Row rows[] = {
      {"RLIMIT_CPU", RLIMIT_CPU, cpu_s, true},
      {"RLIMIT_NOFILE", RLIMIT_NOFILE, limits[Limit::OpenFiles], true},
      {"RLIMIT_FSIZE", RLIMIT_FSIZE, limits[Limit::FileSize], true},
      {"RLIMIT_CORE", RLIMIT_CORE, 0, true},
      {"RLIMIT_AS", RLIMIT_AS, limits[Limit::Memory], !memory_by_cgroup},
      {"RLIMIT_NPROC", RLIMIT_NPROC, limits[Limit::Processes], !procs_by_cgroup},
  };
  for (const Row& row : rows) {
    if (!row.apply) continue;
    // CPU: SIGXCPU at the limit, SIGKILL a second later for a program that ignores it (equal soft and hard
    // limits would send SIGKILL at once, which reads like any other kill).
    rlimit r{row.value, row.resource == RLIMIT_CPU ? row.value + 1 : row.value};
    if (setrlimit(row.resource, &r) < 0) return errno_error(std::string("setrlimit ") + row.name);
  }
  return ok();
}

}  // namespace shm::sandbox
