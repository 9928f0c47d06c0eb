#include "assignments.hpp"

#include <iostream>
#include <thread>

namespace shm::cli {

void add_assignment_flags(CLI::App* command, AssignmentFlags& flags) {
  command->add_option("assignment", flags.assignment, "an assignment's name, or the path to its folder")->required();
  command->add_option("--assignments", flags.assignments_dir, "where assignments are found by name");
  command->add_option("--seed", flags.seed, "seed for per-run names (the same seed grades the same way)");
  command->add_option("--jobs", flags.jobs, "tests run side by side (default: one per CPU)");
  command->add_option("--lang", flags.lang, "language of messages: en or zh (default: from LANG)")
      ->check(CLI::IsMember({"en", "zh"}));
}

engine::GradeOptions AssignmentFlags::options() const {
  return {seed, jobs ? jobs : std::max(1u, std::thread::hardware_concurrency())};
}

findings::Lang AssignmentFlags::language() const {
  findings::Lang l = findings::lang_from_env();
  if (!lang.empty()) findings::parse_lang(lang, l);
  return l;
}

std::filesystem::path resolve_assignment(const std::string& assignment, const std::string& assignments_dir) {
  std::error_code ec;
  if (assignment.find('/') != std::string::npos || std::filesystem::exists(assignment + "/assignment.toml", ec))
    return assignment;
  return std::filesystem::path(assignments_dir) / assignment;
}

std::optional<spec::AssignmentSpec> load_spec(const AssignmentFlags& flags, const std::string& who, int& status) {
  auto spec = spec::load_assignment(resolve_assignment(flags.assignment, flags.assignments_dir));
  if (spec) return std::move(spec.value());
  std::cerr << who << ": " << spec.error().message() << "\n";
  status = 2;
  return std::nullopt;
}

}  // namespace shm::cli
