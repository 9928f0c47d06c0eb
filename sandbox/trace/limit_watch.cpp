#include "limit_watch.hpp"

#include <sys/syscall.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace shm::trace {

namespace {

// The address space thread TID's process has now (VmSize), in bytes; 0 when it cannot be read.
uint64_t address_space_bytes(pid_t tid) {
  std::ifstream in("/proc/" + std::to_string(tid) + "/status");
  std::string key;
  for (uint64_t kib; in >> key;)
    if (key == "VmSize:" && in >> kib) return kib * 1024;
  return 0;
}

bool is_exec(int nr) { return nr == SYS_execve || nr == SYS_execveat; }

}  // namespace

bool is_limit_call(int nr) {
  switch (nr) {
    case SYS_mmap: case SYS_mremap: case SYS_brk: case SYS_shmat:
    case SYS_fork: case SYS_vfork: case SYS_clone: case SYS_execve: case SYS_execveat:
      return true;
    default:
      return false;
  }
}

void note_limit_result(const LimitCaps& caps, pid_t tid, int nr, const uint64_t* args, int64_t rval, Refusals& r) {
  if (caps.processes && rval == -EAGAIN && (nr == SYS_fork || nr == SYS_vfork || nr == SYS_clone)) r.processes = true;
  if (!caps.memory) return;
  if (nr == SYS_brk) {  // brk does not fail: it returns the old break instead of the one asked for
    if (args[0] && uint64_t(rval) < args[0]) r.memory = true;
    return;
  }
  if (rval != -ENOMEM) return;
  if (is_exec(nr) || nr == SYS_shmat) {  // an image or a segment that does not fit: their sizes are not in the call
    r.memory = true;
    return;
  }
  // ENOMEM has other causes (too many mappings, no room at a fixed address): only a request that would take
  // the address space past the cap counts.
  uint64_t wanted = 0;
  if (nr == SYS_mmap) wanted = args[1];
  if (nr == SYS_mremap) wanted = args[2] > args[1] ? args[2] - args[1] : 0;
  if (wanted && address_space_bytes(tid) + wanted > caps.memory) r.memory = true;
}

void note_death_in_call(const LimitCaps& caps, int nr, Refusals& r) {
  if (caps.memory && is_exec(nr)) r.memory = true;
}

}  // namespace shm::trace
