// shmgrade run — run a command in the sandbox by hand, or from scripts.
#include "run.hpp"

#include <iostream>

#include "sandbox_flags.hpp"

namespace shm::cli {

void add_run_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<SandboxFlags>();
  CLI::App* run = app.add_subcommand("run", "Run CMD in the sandbox: isolated, limited, nothing left behind");
  run->footer(
      "Exit status: the program's own (after a denied call too: it fails with EPERM and the program goes on);\n"
      "128+N when signal N ended it; 124 when a limit ended it; 2 for a usage error or a refused submission;\n"
      "3 for an internal error, anything of the run left on the host, or a verdict record that cannot be written.");
  add_sandbox_flags(run, *flags);
  run->callback([flags, &status] {
    sandbox::Request req = make_request(*flags);
    ProgramCopy copy;
    if (auto s = stage_program(req, copy); !s) {
      std::cerr << "shmgrade run: " << s.error().message() << "\n";
      status = 2;
      return;
    }
    auto outcome = sandbox::run(req);
    if (!outcome) {
      std::cerr << "shmgrade run: " << outcome.error().message() << "\n";
      status = 2;
      return;
    }
    status = report_outcome(std::move(*outcome), *flags, copy, "shmgrade run");
  });
}

}  // namespace shm::cli
