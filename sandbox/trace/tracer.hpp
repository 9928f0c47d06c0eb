// The tracer: ptrace of the program and every process and thread it starts, stopping only at the calls
// the seccomp policy marks SECCOMP_RET_TRACE. It runs inside the sandbox's init, the program's parent, so
// pids and paths are the program's own. Each stop becomes an Event handed to EMIT.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "event.hpp"
#include "injection.hpp"
#include "limit_watch.hpp"
#include "result.hpp"

namespace shm::trace {

// Where a call was made from: the first frame inside the student's executable (unwind.cpp).
struct CallSite {
  bool in_student = false;
  std::string file;
  int line = 0;
  std::string function;  // the symbol around it (offline only: a report's reader, not every traced call, wants it)
  std::string via;       // "unpipc.c:36": the provided helper's line the call went through ("" when none)
};
class CallSites {
 public:
  virtual ~CallSites() = default;
  // Thread TID of process TGID is stopped at PC with its stack at SP.
  virtual CallSite locate(pid_t tid, pid_t tgid, uint64_t pc, uint64_t sp) = 0;
  virtual void forget(pid_t tgid) = 0;     // the process exec'd or exited
};
// libdwfl-based: STUDENT_EXE is the executable's path as the program sees it (empty: each process's own
// executable, when it has line tables); file names are reported relative to SOURCE_ROOT (the work dir, as the
// program sees it).
// A frame in one of PROVIDED's files (helpers given to students) gives way to its caller, named with `via`; so
// does a call's innermost frame in the student's code at one of WRAPPER_CALLS ("file:line", wrappers.hpp).
std::unique_ptr<CallSites> make_dwfl_call_sites(std::string student_exe, std::string source_root,
                                                std::vector<std::string> provided = {},
                                                std::vector<std::string> wrapper_calls = {});
// The same for return addresses recorded elsewhere (xrace's reports): offsets from BINARY's load address.
std::vector<CallSite> call_sites_offline(const std::string& binary, const std::vector<uint64_t>& return_offsets,
                                         const std::string& source_root);
// PATH relative to SOURCE_ROOT, "./" dropped.
std::string relative_source(const char* path, const std::string& source_root);
// Whether FILE (as a site names it) is one of PROVIDED: named so, or by its file name alone.
bool is_provided(const std::set<std::string>& provided, const std::string& file);
// The sources BINARY's DWARF names under SOURCE_ROOT, relative to it (system headers are not).
std::vector<std::string> sources_offline(const std::string& binary, const std::string& source_root);
// The code of the functions BINARY defines in FILES (named as sites are, or by file name): [low, high) offsets
// from its load address.
std::vector<std::pair<uint64_t, uint64_t>> code_ranges_offline(const std::string& binary,
                                                               const std::vector<std::string>& files,
                                                               const std::string& source_root);

struct TraceOptions {
  std::vector<Injection> injections;
  bool call_sites = true;   // unwind for file:line (off: every call counts as the student's)
  std::string student_exe;  // empty: every program the run executes that has line tables (a shell has none)
  std::string source_root = "/work";
  std::vector<std::string> provided;  // helper files given to students: calls in them are placed at their caller
  std::vector<std::string> wrapper_calls;  // "file:line" of wrappers' calls (wrapper_call_lines): at their caller too
  bool events = true;  // false: only watch the limits below (no events, no call sites)
  LimitCaps caps;      // limits enforced by rlimits, whose refusals the tracer watches for
};

class Tracer {
 public:
  Tracer(TraceOptions options, std::function<void(const Event&)> emit);
  ~Tracer();
  // Attach to PROGRAM, which must not have started the work to be traced yet (it waits for us).
  Status seize(pid_t program);
  // Handle what waitpid(-1, __WALL) returned for PID and resume it.
  void handle(pid_t pid, int status);
  // The run is over (its program exited, or a limit ended it): every traced process still alive is about to be
  // killed with it, and gets a "killed" event saying so (reason "run ended"), so that none vanishes unrecorded.
  void end_of_run();
  // The refusals at a cap seen so far.
  Refusals refusals() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace shm::trace
