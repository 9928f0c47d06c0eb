// Limits the kernel enforces by refusing, not killing. Without a cgroup, memory and process counts are bounded
// by RLIMIT_AS and RLIMIT_NPROC: mmap fails with ENOMEM, fork with EAGAIN, and an exec whose image does not fit
// dies with SIGSEGV past its point of no return. The crash that follows looks like any other; the tracer stops
// at these calls (the seccomp policy's "watched" calls) so that the run's verdict can name the limit.
#pragma once

#include <sys/types.h>

#include <cstdint>

namespace shm::trace {

// What is bounded by rlimits in this run (a cgroup bounds the rest, and says itself when it was hit).
struct LimitCaps {
  uint64_t memory = 0;     // RLIMIT_AS in bytes; 0: not watched
  bool processes = false;  // RLIMIT_NPROC is in force
  bool any() const { return memory || processes; }
};

// A call was refused at a cap during the run.
struct Refusals {
  bool memory = false;
  bool processes = false;
};

// The calls a refusal shows on (the seccomp policy's watched calls).
bool is_limit_call(int nr);

// Thread TID's call NR with ARGS returned RVAL: a refusal at the cap is added to R.
void note_limit_result(const LimitCaps& caps, pid_t tid, int nr, const uint64_t* args, int64_t rval, Refusals& r);
// A thread died by a signal inside call NR (its exit stop never came): an exec that did not fit.
void note_death_in_call(const LimitCaps& caps, int nr, Refusals& r);

}  // namespace shm::trace
