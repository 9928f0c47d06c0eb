// What the race detectors report, at the student's file:line: races between processes (xrace) or threads
// (ThreadSanitizer) and locks used in a way that cannot work between processes. The Run stage puts these in
// each RunResult; the data-race and lock findings are made from them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace shm::race {

// The longest program name xrace's reports carry whole (XR_PROGRAM_NAME in xrace/runtime.h, less its NUL): programs of
// one run must differ within it for their accesses to be told apart.
constexpr size_t kMaxProgramName = 31;

// A data race the race detector reported: two accesses to the same bytes of a shared object, neither
// ordered before the other.
struct RaceAccess {
  int pid = 0;
  bool write = false;
  std::string file;  // relative to the submission
  int line = 0;
  std::string function;  // the function around the line ("" when unknown)
  std::string program;   // the executable that made it: which program, when a run starts several
  std::string via;       // "helpers.c:12": made in a provided helper at that line, placed at its caller ("" when not)
};
struct Race {
  std::string object;  // "/work/count.bin", "shm:/ring", "sysv:3", "anonymous #0"
  uint64_t offset = 0;
  unsigned size = 0;
  RaceAccess access, previous;
  bool threads_only = false;  // found by ThreadSanitizer in one process's memory ("global 'count'"): no offset
  // The write is the object's creator's first write of these bytes: its initialisation, which another process
  // reached through the object's name or key with nothing ordering the two.
  bool initialisation = false;
};

// A lock the race detector saw used in a way that cannot work between processes: KIND is the finding id
// ("mutex-not-pshared": initialised process-private in shared memory; "sync-not-shared": in private memory,
// used by a process of a forking program).
// A capacity of the race detector that a run reached: past it (the threads and processes after the first MAX,
// say) nothing was checked, so a clean result is not the whole run's.
struct DetectorLimit {
  std::string what;  // "threads and processes", "semaphores", ...
  unsigned max = 0;
  bool operator<(const DetectorLimit& o) const { return what < o.what; }
};

struct LockMisuse {
  std::string kind, object, file;
  int line = 0;
};

}  // namespace shm::race
