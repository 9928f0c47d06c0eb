// The sandbox's public interface: run one command isolated, limited and traced for violations, and get
// back a verdict record. Everything it starts ends when run() returns; nothing is left in /dev/shm, the
// SysV tables, /tmp or the process table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "limits.hpp"
#include "result.hpp"
#include "trace/tracer.hpp"

namespace shm::sandbox {

enum class Verdict {
  Ok, RuntimeError, Signal, Timeout, MemoryLimit, ProcessLimit, OutputLimit, FileSizeLimit, Violation,
  InternalError
};
const char* verdict_name(Verdict v);  // "ok", "runtime-error", ..., "internal-error"

// A denied system call: which process tried what.
struct Violation {
  int pid = 0;
  std::string syscall;
};

// An IPC object the run created and did not remove (removed by the sandbox at teardown).
struct Leftover {
  std::string kind;  // posix-shm, posix-sem, posix-mq, sysv-shm, sysv-sem, sysv-msg
  std::string name;  // /dev/shm name, or "id N key K" for SysV
  uint64_t size = 0;
};

struct Request {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH inside the sandbox
  std::string workdir;            // writable work dir and cwd; empty = a fresh temporary one
  bool keep_workdir = false;      // a temporary work dir is deleted afterwards unless this is set
  std::string copy_in;            // a submission directory copied into the work dir first (safely)
  Limits limits = Limits::defaults(Profile::Run);
  std::string stdin_data;
  std::vector<std::string> env;  // NAME=VALUE added to the program's environment (PATH, HOME, TMPDIR, LANG are set)
  bool namespaces = true;  // false: the no-namespace fallback a host without namespaces gets (for tests)
  bool trace = false;                // follow the program with the tracer; events land in Outcome::events
  trace::TraceOptions trace_options;
};

struct Outcome {
  Verdict verdict = Verdict::InternalError;
  int exit_code = -1;  // when the program exited by itself
  int signal = 0;      // when a signal ended it
  double wall_s = 0, cpu_s = 0;
  uint64_t peak_memory_bytes = 0;
  std::string limit_hit;  // the table name of the limit that ended the run ("time", "memory", ...)
  std::vector<Violation> violations;
  std::string out, err;
  bool out_truncated = false, err_truncated = false;
  std::vector<Leftover> leftovers;
  std::string workdir;             // where it ran; gone afterwards unless kept
  std::vector<std::string> notes;  // mechanisms unavailable on this host, and the like
  std::string error;               // for internal-error: what failed
  std::vector<trace::Event> events;  // when traced, in the order the tracer saw them
};

// Whether the sandbox shows HOST_PATH at the same place (the read-only system dirs: /usr, /bin, /lib...), so
// that a program named by it needs no copying into the work dir.
bool visible_inside(const std::string& host_path);

// Run the request. A Result error means the request itself was bad (e.g. copy-in refused); everything that
// happens to the program, including sandbox set-up failures, is an Outcome with a verdict.
Result<Outcome> run(const Request& request);

}  // namespace shm::sandbox
