// shmgrade trace — run a program in the sandbox under the tracer and print what it does with shared
// memory: one strace-like line (or JSON object) per event, with the student's file:line.
#include "trace.hpp"
#include "text.hpp"

#include <filesystem>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>

#include <unistd.h>

#include "sandbox_flags.hpp"
#include "trace/wrappers.hpp"

namespace shm::cli {

namespace {

namespace fs = std::filesystem;

struct TraceFlags {
  SandboxFlags sandbox;
  bool events_json = false, no_lines = false, all = false;
  std::string events_file;
  std::vector<std::string> injections;
  std::vector<std::string> provided;
};

// What the loader and libc's start-up did before the program's own code ran: in each process image, the calls
// before its first one with a call site in the program. Nothing is start-up when no event has a call site (no
// debug information, or --no-lines): then every event is shown.
std::vector<bool> startup_events(const std::vector<trace::Event>& events) {
  std::vector<bool> startup(events.size(), false);
  bool any_site = false;
  for (const auto& e : events) any_site |= !e.file.empty();
  if (!any_site) return startup;
  std::set<int> started;  // pids whose current image has reached the program's code
  for (size_t i = 0; i < events.size(); i++) {
    const auto& e = events[i];
    if (e.syscall == "exec") started.erase(e.pid);
    if (!e.file.empty()) started.insert(e.pid);
    const bool process_event = !trace::find_syscall(e.syscall);
    if ((e.syscall == "fork" || e.syscall == "vfork" || e.syscall == "clone" || e.syscall == "thread") &&
        started.count(e.pid))
      started.insert(int(e.result));  // a child runs the program's code from its first instruction
    startup[i] = !process_event && !started.count(e.pid);
  }
  return startup;
}

// The executables whose sources are read for wrappers: PROG when it is a file, and every ELF executable right
// in the source root (a shell in front, sh -c './server & ./client', has no sources of its own). Bounded: a
// root such as a home directory is not read whole.
std::set<std::string> traced_executables(const std::vector<std::string>& argv, const fs::path& root) {
  std::set<std::string> found;
  if (!argv.empty() && argv[0].find('/') != std::string::npos) found.insert((root / argv[0]).lexically_normal().string());
  std::error_code ec;
  size_t entries = 0;
  for (auto it = fs::directory_iterator(root, ec); !ec && it != fs::directory_iterator() && ++entries <= 256 &&
                                                   found.size() < 64;
       it.increment(ec)) {
    if (!it->is_regular_file(ec) || access(it->path().c_str(), X_OK) != 0) continue;
    char magic[4] = {};
    std::ifstream(it->path(), std::ios::binary).read(magic, sizeof magic);
    if (std::memcmp(magic, "\x7f" "ELF", 4) == 0) found.insert(it->path().lexically_normal().string());
  }
  return found;
}

}  // namespace

void add_trace_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<TraceFlags>();
  CLI::App* trace = app.add_subcommand("trace", "Run PROG in the sandbox under the tracer: mappings, files, SysV, "
                                                "processes, each call with the student's file:line");
  trace->footer("Exit status: the traced program's (128+N when signal N killed it); 2 for a usage error.");
  trace->add_option("--events", flags->events_file, "write the events to FILE (default: stderr)");
  trace->add_flag("--events-json", flags->events_json, "one JSON object per event instead of text");
  trace->add_flag("--all", flags->all, "also the events of the dynamic loader and libc's start-up (hidden by default)");
  trace->add_flag("--no-lines", flags->no_lines,
                  "skip file:line (no unwinding); injection then counts every call, the loader's included");
  trace->add_option("--inject", flags->injections,
                    "KIND:N:ERRNO: fail the Nth KIND call made from the student's code, e.g. mmap:shared:1:ENOMEM; "
                    "KIND is any traced call by the name its events print (openat, futex, ...) or mmap:shared, "
                    "mmap:private, mmap:anonymous, shm_open, sem_open, shm_unlink, sem_unlink");
  trace->add_option("--provided", flags->provided,
                    "FILE: a helper file given to students (unpipc.c): a call made in it is placed at its caller, "
                    "'counter.c:26 via unpipc.c:36' (repeatable)");
  add_sandbox_flags(trace, flags->sandbox);

  trace->callback([flags, &status] {
    sandbox::Request req = make_request(flags->sandbox);
    req.trace = true;
    req.trace_options.call_sites = !flags->no_lines;
    // Call sites relative to the work dir the program was built in, else to where trace was run.
    std::error_code ec;
    const fs::path root = fs::absolute(flags->sandbox.workdir.empty() ? fs::current_path(ec) : fs::path(flags->sandbox.workdir), ec);
    req.trace_options.source_root = root.lexically_normal().string();
    if (!req.trace_options.source_root.empty() && req.trace_options.source_root.back() == '/')
      req.trace_options.source_root.pop_back();
    for (const auto& file : flags->provided)  // named as sites are: relative to the source root
      req.trace_options.provided.push_back(
          trace::relative_source(fs::absolute(file, ec).lexically_normal().c_str(), req.trace_options.source_root));
    // Wrappers by shape in the sources the programs were built from (their DWARF names them; they are here).
    std::set<std::string> wrapper_calls;
    for (const auto& exe : flags->no_lines ? std::set<std::string>{} : traced_executables(req.argv, root))
      for (auto& call : trace::wrapper_call_lines(exe, req.trace_options.source_root, req.trace_options.source_root))
        wrapper_calls.insert(std::move(call));
    req.trace_options.wrapper_calls.assign(wrapper_calls.begin(), wrapper_calls.end());
    for (const auto& spec : flags->injections) {
      auto injection = trace::parse_injection(spec);
      if (!injection) {
        std::cerr << "shmgrade trace: " << injection.error().message() << "\n";
        status = 2;
        return;
      }
      req.trace_options.injections.push_back(*injection);
    }
    ProgramCopy copy;
    if (auto s = stage_program(req, copy); !s) {
      std::cerr << "shmgrade trace: " << s.error().message() << "\n";
      status = 2;
      return;
    }
    auto outcome = sandbox::run(req);
    if (!outcome) {
      std::cerr << "shmgrade trace: " << outcome.error().message() << "\n";
      status = 2;
      return;
    }
    std::ofstream file;
    if (!flags->events_file.empty()) file.open(flags->events_file);
    if (!flags->events_file.empty() && !file) {
      std::cerr << "shmgrade trace: cannot write the events to " << flags->events_file << ": " << strerror(errno) << "\n";
      status = 3;
      return;
    }
    std::ostream& events = flags->events_file.empty() ? std::cerr : file;
    const std::vector<bool> startup = startup_events(outcome->events);
    size_t hidden = 0;
    for (size_t i = 0; i < outcome->events.size(); i++) {
      const auto& e = outcome->events[i];
      if (startup[i] && !flags->all) {
        hidden++;
        continue;
      }
      events << (flags->events_json ? json_text(trace::to_json(e)) : trace::to_text(e)) << "\n";
    }
    if (!events.flush()) {
      std::cerr << "shmgrade trace: writing the events failed: " << strerror(errno) << "\n";
      status = 3;
      return;
    }
    if (hidden) std::cerr << "shmgrade trace: " << hidden << " events of the loader and libc's start-up hidden (--all shows them)\n";
    status = report_outcome(std::move(*outcome), flags->sandbox, copy, "shmgrade trace");
  });
}

}  // namespace shm::cli
