// The sandbox's public interface: run one command isolated, limited and traced for violations, and get
// back a verdict record. Everything it starts ends when run() returns; nothing is left in /dev/shm, the
// SysV tables, /tmp or the process table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "limits.hpp"
#include "result.hpp"
#include "trace/tracer.hpp"

namespace shm::sandbox {

enum class Verdict {
  Ok, RuntimeError, Signal, Timeout, MemoryLimit, ProcessLimit, OutputLimit, FileSizeLimit, Violation,
  InternalError
};
const char* verdict_name(Verdict v);  // "ok", "runtime-error", ..., "internal-error"
// The program ended by itself (its exit status is its own), not by a signal, a limit or the sandbox.
inline bool ended_by_itself(Verdict v) { return v == Verdict::Ok || v == Verdict::RuntimeError; }

// A denied system call: which process (its pid inside the sandbox) tried what, through which ABI ("x86_64";
// "i386" for int 0x80, "x32": calls of another ABI are denied and recorded like the others).
struct Violation {
  int pid = 0;
  std::string syscall;
  std::string abi;
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
  // As root the work dir is lent to the sandbox's user (nobody) for the run; this gives a named one back to its
  // owner afterwards. Off for runs that share a work dir at once (the grader's two race builds).
  bool give_back_workdir = false;
  std::string copy_in;            // a submission directory copied into the work dir first (safely)
  // Host dirs the program may read, at the same paths (a helper's own files, as Dolos's node_modules); read-only.
  std::vector<std::string> read_only_dirs;
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
  std::vector<Violation> violations;  // the first kMaxViolations of them
  size_t violation_count = 0;         // all of them
  std::string out, err;
  bool out_truncated = false, err_truncated = false;
  std::vector<Leftover> leftovers;
  std::string workdir;             // where it ran; gone afterwards unless kept
  std::vector<std::string> notes;  // mechanisms unavailable on this host, what could not be removed, and the like
  bool left_behind = false;        // something of the run could not be removed from the host (named in notes)
  std::string error;               // for internal-error: what failed
  std::vector<trace::Event> events;  // when traced, in the order the tracer saw them
};

constexpr size_t kMaxViolations = 100;

// The verdict record as JSON (named keys), the one serializer of an Outcome: `shmgrade run --json` writes it
// without the program's output and events, the grader's workers pass it with them.
nlohmann::ordered_json to_json(const Outcome& outcome, bool with_output = false);
Outcome outcome_from_json(const nlohmann::ordered_json& j);

// Whether the sandbox shows HOST_PATH at the same place (the read-only system dirs: /usr, /bin, /lib...), so
// that a program named by it needs no copying into the work dir.
bool visible_inside(const std::string& host_path);

// Run the request. A Result error means the request itself was bad (e.g. copy-in refused); everything that
// happens to the program, including sandbox set-up failures, is an Outcome with a verdict.
Result<Outcome> run(const Request& request);

}  // namespace shm::sandbox
