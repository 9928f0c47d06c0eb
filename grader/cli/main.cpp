// shmgrade — the command-line entry point. Each subcommand lives in its own file under grader/cli/ and only
// parses, calls the engine and prints; this file wires them together.
//
// Two things keep start-up short, since every sandboxed run starts this binary: the normal path throws no
// exception (shmgrade is linked statically, and there the first throw sorts every unwind table entry), and
// only the subcommand named on the command line is built (all of them for --help).
#include <CLI/CLI.hpp>

#include <cstring>
#include <iostream>

#include "authoring.hpp"
#include "batch.hpp"
#include "check.hpp"
#include "explain.hpp"
#include "grade.hpp"
#include "gradescope_package.hpp"
#include "race.hpp"
#include "run.hpp"
#include "runtime_files.hpp"
#include "trace.hpp"

namespace {

struct Subcommand {
  const char* name;
  void (*add)(CLI::App&, int&);
};
const Subcommand kSubcommands[] = {
    {"check", shm::cli::add_check_command}, {"explain", shm::cli::add_explain_command}, {"grade", shm::cli::add_grade_command},
    {"list", shm::cli::add_list_command},   {"run", shm::cli::add_run_command},
    {"trace", shm::cli::add_trace_command}, {"batch", shm::cli::add_batch_command},
    {"merge", shm::cli::add_merge_command}, {"gradescope-package", shm::cli::add_gradescope_package_command},
    {"new", shm::cli::add_new_command},     {"verify", shm::cli::add_verify_command},
    {"race", shm::cli::add_race_command},
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"shmgrade — autograder and race detector for POSIX shared-memory assignments"};
  bool version = false;
  app.add_flag("--version", version, "print the version and exit");
  app.footer("Set-up and tests: ci/demo and ci/test (see README.md).");
  app.require_subcommand(0, 1);
  int status = 0;  // a subcommand's exit status
  const Subcommand* named = nullptr;
  for (const auto& s : kSubcommands)
    if (argc > 1 && std::strcmp(argv[1], s.name) == 0) named = &s;
  for (const auto& s : kSubcommands)
    if (!named || named == &s) s.add(app, status);
  if (named && std::strcmp(named->name, "race") == 0) argc = shm::cli::split_program_args(argc, argv);
  try {
    app.parse(argc, argv);  // throws only for --help and usage errors
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;  // a usage error is exit status 2 for every subcommand
  }
  if (version) {
    std::cout << "shmgrade " << SHMGRADE_VERSION << "\n"
              << "assignments: " << shm::runtime_file(shm::RuntimeFile::Assignments).string() << "\n";
  } else if (app.get_subcommands().empty()) {
    std::cout << app.help();
  }
  return status;
}
