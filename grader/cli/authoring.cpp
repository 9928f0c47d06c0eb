#include "authoring.hpp"

#include <unistd.h>

#include <iostream>

#include "assignments.hpp"
#include "authoring/authoring.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

int verify_assignment(const std::string& dir, uint64_t seed, const std::string& who) {
  const bool terminal = isatty(2);
  auto verified = authoring::verify(dir, {seed, 2}, [&](const std::string& what) {
    if (terminal) std::cerr << "\r\033[K" << who << ": grading " << what << std::flush;
  });
  if (terminal) std::cerr << "\r\033[K";
  if (!verified) {
    std::cerr << who << ": " << verified.error().message() << "\n";
    return 2;
  }
  for (const auto& m : verified->mismatches) std::cerr << who << ": " << m.file.string() << ": " << m.what << "\n";
  std::cout << dir << ": " << verified->samples << " samples" << (verified->starter ? ", the starter" : "")
            << (verified->solution ? ", the solution" : "") << " checked (seed " << seed << "): "
            << (verified->mismatches.empty() ? "verified" : std::to_string(verified->mismatches.size()) + " mismatches")
            << "\n";
  return verified->mismatches.empty() ? 0 : 1;
}

void add_verify_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<AssignmentFlags>();
  CLI::App* command = app.add_subcommand("verify", "Check an assignment as ci/test checks the bundled ones");
  command->footer(
      "The spec loads; every samples/NAME grades to its samples/NAME/expected.json; starter/ builds, runs and\n"
      "scores below full marks; solution/ (when there is one) scores full marks with no error finding.\n"
      "Exit status: 0 verified; 1 mismatches (each named with its file); 2 usage or spec error.");
  add_assignment_flags(command, *flags);
  command->callback([flags, &status] {
    const fs::path dir = resolve_assignment(flags->assignment, flags->assignments_dir);
    status = verify_assignment(dir.string(), flags->seed, "shmgrade verify");
  });
}

void add_new_command(CLI::App& app, int& status) {
  struct Flags {
    std::string name, from = "counter", assignments_dir = runtime_file(RuntimeFile::Assignments).string(), into = ".";
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app.add_subcommand("new", "Scaffold an assignment from a bundled one");
  command->footer("Then edit its assignment.toml, README.md, starter/ and samples/, and run shmgrade verify on it.");
  command->add_option("name", flags->name, "the new assignment's name (its folder)")->required();
  command->add_option("--from", flags->from, "the assignment to start from (default: counter)");
  command->add_option("--assignments", flags->assignments_dir, "where --from is looked up by name");
  command->add_option("--into", flags->into, "the folder to make it in (default: the current one)");
  command->callback([flags, &status] {
    auto made = authoring::scaffold(flags->name, resolve_assignment(flags->from, flags->assignments_dir), flags->into);
    if (!made) {
      std::cerr << "shmgrade new: " << made.error().message() << "\n";
      status = 2;
      return;
    }
    std::cout << made->string() << ": made from " << flags->from << "; edit it, then: shmgrade verify " << made->string()
              << "\n";
  });
}

}  // namespace shm::cli
