// What the tracer knows of each traced process (its threads share it): live mappings, open files, and
// children with whether each was waited for. Updated only from finished events, so that one place knows
// what every traced call does to a process.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "event.hpp"
#include "syscall_table.hpp"

namespace shm::trace {

// Mappings are made and released in whole pages (x86-64's 4 KiB): a length is rounded up to them.
constexpr uint64_t kPageSize = 4096;
constexpr uint64_t page_round(uint64_t n) { return (n + kPageSize - 1) & ~(kPageSize - 1); }

struct Mapping {
  uint64_t length = 0;  // page-rounded
  bool shared = false;
  std::string prot, flags;
  std::string backing;  // a path, "anonymous", or "sysv:ID"
  int64_t offset = 0;
};

struct OpenFile {
  std::string path, flags;
};

struct ProcessState {
  std::map<uint64_t, Mapping> mappings;  // start -> mapping
  std::map<int, OpenFile> fds;           // descriptors opened by traced calls (and 0, 1, 2)
  std::map<pid_t, bool> children;        // child pid -> waited for
  bool active = false;                   // has exec'd the program: its calls are the program's
  uint64_t loader_start = 0, loader_end = 0;  // the dynamic loader's text: no student frame above it

  // The mapping that contains ADDR (and its start in *START), or null.
  const Mapping* mapping_at(uint64_t addr, uint64_t* start = nullptr) const;
  // The kernel's view from /proc/PID/maps: mappings the tracer never saw made (the executable, the
  // loader, the stack) are there too. Called at exec, and before declaring a range unmapped.
  void load_mappings(pid_t tid);
  // The result of a call whose outcome the table marks Derived (one stop only): 0 or an errno.
  int derive_errno(const SyscallInfo& info, const uint64_t* args) const;
  // A finished call or process event changes the state.
  void apply(const Event& e);
  // exec: close-on-exec descriptors are gone (the caller reloads the mappings).
  void on_exec();
  // A forked child's state: its parent's descriptors and mappings, none of its parent's children.
  ProcessState forked() const;
  // For the process's exit event: children never waited for, open descriptors, live shared mappings.
  std::vector<std::pair<std::string, Value>> exit_summary() const;

 private:
  void map(const Event& e, Effect effect);  // Map, Attach, Remap
  void forget_range(uint64_t start, uint64_t length);
};

}  // namespace shm::trace
