// One traced event: a system call of the traced program, or a process event (fork, exec, exit). Plain
// data: the tracer makes them, the supervisor carries them out of the sandbox, the grader analyses them.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "decode.hpp"

namespace shm::trace {

struct Event {
  uint64_t seq = 0;
  int pid = 0;          // as the sandbox sees it
  double time_s = 0;    // since the program started
  std::string syscall;  // "mmap", "openat", ... or "fork", "vfork", "clone", "thread", "exec", "exit", "killed"
  std::vector<std::pair<std::string, Value>> args;
  int64_t result = 0;       // the call's return value (0 for process events), or -errno
  int err = 0;              // errno when the call failed
  bool result_known = true; // false for calls whose result the tracer does not wait for (Outcome::Unlearned)
  bool injected = false;    // the failure was injected
  std::string object;       // openat under /dev/shm: "shm:/ring" or "sem:/name"
  std::string file;         // first frame inside the student's executable, relative to the submission
  int line = 0;
  std::string via;          // a provided helper's file:line the call went through (file:line is its caller)

  const Value* arg(const std::string& name) const;
  // Typed readers of decoded arguments: FALLBACK, "" or 0 when the argument is missing or of another kind.
  int64_t int_arg(const std::string& name, int64_t fallback = -1) const;
  std::string text_arg(const std::string& name) const;
  uint64_t addr_arg(const std::string& name) const;  // "0x..." arguments
  bool has_flag(const std::string& name, const std::string& flag) const;  // "A|B|C" contains FLAG
};

// The student's own calls are those with a source location in the student's executable.
inline bool by_student(const Event& e) { return !e.file.empty(); }

// An mmap whose flags share it: MAP_SHARED, or MAP_SHARED_VALIDATE (which checks the flags it is given).
inline bool maps_shared(const Event& e) {
  return e.has_flag("flags", "MAP_SHARED") || e.has_flag("flags", "MAP_SHARED_VALIDATE");
}

// A POSIX object made under a temporary name and then linked or renamed to its final one (glibc's sem_open
// with O_CREAT) carries the final name from its creation on: the events before the link are renamed.
void name_objects_from_creation(std::vector<Event>& events);

// Ordered: arguments keep the table's order.
nlohmann::ordered_json to_json(const Event& e);
Event event_from_json(const nlohmann::ordered_json& j);
// strace-like: "[pid 3] mmap(addr=0x0, length=4096, prot=PROT_READ|PROT_WRITE, ...) = 0x7f.. <counter.c:27>"
std::string to_text(const Event& e);

}  // namespace shm::trace
