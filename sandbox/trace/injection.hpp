// Fault injection: which traced calls fail on purpose (--inject, an assignment's `inject`), by the kinds the
// syscall table's rows give (a call's name, and what it does: mmap:shared, shm_open, dup...). A light header:
// the assignment spec holds parsed injections.
#pragma once

#include <string>
#include <vector>

#include "result.hpp"

namespace shm::trace {

struct Event;

// --inject KIND:N:ERRNO, e.g. "mmap:shared:1:ENOMEM": fail the Nth such call made from the student's code.
struct Injection {
  std::string kind;  // mmap, mmap:shared, mmap:private, mmap:anonymous, shm_open, sem_open, shmat, shmget, ftruncate, ...
  int nth = 1;
  int err = 0;
};
Result<Injection> parse_injection(const std::string& spec);
// For a student: "the 1st MAP_SHARED mmap fails with ENOMEM", "the 2nd shm_open fails with EACCES".
std::string describe_injection(const Injection& injection);
// Every kind --inject takes: each traced call by its name (the syscall table's rows) and the aliases that say
// what a call does (mmap:shared, shm_open, ...).
std::vector<std::string> injection_kind_names();
// The injection kind(s) a call counts as, given its event so far ("mmap" and "mmap:shared" for a shared mmap).
std::vector<std::string> injection_kinds(const Event& e);

}  // namespace shm::trace
