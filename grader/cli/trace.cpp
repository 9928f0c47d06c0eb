// shmgrade trace — run a program in the sandbox under the tracer and print what it does with shared
// memory: one strace-like line (or JSON object) per event, with the student's file:line.
#include "trace.hpp"
#include "text.hpp"

#include <fstream>
#include <iostream>

#include "sandbox_flags.hpp"

namespace shm::cli {

namespace {

struct TraceFlags {
  SandboxFlags sandbox;
  bool json = false, no_lines = false;
  std::string output;
  std::vector<std::string> injections;
};

}  // namespace

void add_trace_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<TraceFlags>();
  CLI::App* trace = app.add_subcommand("trace", "Run PROG in the sandbox under the tracer: mappings, files, SysV, "
                                                "processes, each call with the student's file:line");
  trace->footer("Exit status: the traced program's (128+N when signal N killed it); 2 for a usage error.");
  trace->add_flag("--json", flags->json, "one JSON object per event instead of text");
  trace->add_option("--output", flags->output, "write the events to FILE (default: stderr)");
  trace->add_flag("--no-lines", flags->no_lines,
                  "skip file:line (no unwinding); injection then counts every call, the loader's included");
  trace->add_option("--inject", flags->injections,
                    "KIND:N:ERRNO: fail the Nth KIND call made from the student's code, e.g. mmap:shared:1:ENOMEM");
  add_sandbox_flags(trace, flags->sandbox, "--verdict-json", {"output"});  // --output is the event file here

  trace->callback([flags, &status] {
    sandbox::Request req = make_request(flags->sandbox);
    req.trace = true;
    req.trace_options.call_sites = !flags->no_lines;
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
    if (!flags->output.empty()) file.open(flags->output);
    std::ostream& events = flags->output.empty() ? std::cerr : file;
    for (const auto& e : outcome->events) events << (flags->json ? json_text(trace::to_json(e)) : trace::to_text(e)) << "\n";
    events.flush();
    status = report_outcome(std::move(*outcome), flags->sandbox, copy, "shmgrade trace");
  });
}

}  // namespace shm::cli
