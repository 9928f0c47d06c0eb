// shmgrade — the command-line entry point. Each subcommand lives in its own file under grader/cli/ and only
// parses, calls the engine and prints; this file wires them together.
#include <CLI/CLI.hpp>

#include <iostream>

#include "run.hpp"

int main(int argc, char** argv) {
  CLI::App app{"shmgrade — autograder and race detector for POSIX shared-memory assignments"};
  app.set_version_flag("--version", std::string("shmgrade ") + SHMGRADE_VERSION);
  app.footer("Set-up and tests: ci/demo and ci/test (see README.md).");
  app.require_subcommand(0, 1);
  shm::cli::add_run_command(app);
  CLI11_PARSE(app, argc, argv);
  if (app.get_subcommands().empty()) {
    std::cout << app.help();
  }
  return 0;
}
