// shmgrade check — a student's self-check: build the submission, run the assignment's tests, show what
// passed and why the rest failed. Exit 0 only at full marks.
#include "check.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "engine/run_tests.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

namespace {

struct CheckFlags {
  std::string assignment, submission = ".", assignments_dir = SHMGRADE_ASSIGNMENTS_DIR;
  uint64_t seed = 1;
};

// ASSIGNMENT is a name under the assignments folder or a path to an assignment's folder.
fs::path assignment_dir(const CheckFlags& f) {
  std::error_code ec;
  if (f.assignment.find('/') != std::string::npos || fs::is_directory(f.assignment + "/assignment.toml", ec))
    return f.assignment;
  return fs::path(f.assignments_dir) / f.assignment;
}

void print(const engine::Grade& g, const spec::AssignmentSpec& spec, bool colour) {
  auto paint = [colour](const char* code, const std::string& s) { return colour ? "\033[" + std::string(code) + "m" + s + "\033[0m" : s; };
  std::cout << spec.name << " — " << spec.title << "\n";
  if (g.status != engine::GradeStatus::Graded)
    std::cout << paint("1;31", engine::grade_status_name(g.status)) << ":\n" << g.message << "\n";
  for (const auto& t : g.tests) {
    const bool pass = t.status == engine::TestStatus::Passed;
    char points[32];
    snprintf(points, sizeof points, "%g/%g", t.score, t.max_score);
    std::cout << "  " << (pass ? paint("32", "PASS") : paint("31", "FAIL")) << "  " << t.name << "  " << points;
    if (!pass) std::cout << "\n        " << t.output;
    std::cout << "\n";
  }
  char total[64];
  snprintf(total, sizeof total, "%g / %g", g.score, g.max_score);
  std::cout << "score: " << total << "\n";
}

}  // namespace

void add_check_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* check = app.add_subcommand("check", "Check a submission against an assignment's tests");
  check->footer("Exit status: 0 at full marks, 1 below, 2 for a usage or assignment-spec error.");
  check->add_option("assignment", flags->assignment, "an assignment's name, or the path to its folder")->required();
  check->add_option("submission", flags->submission, "the submission's folder (default: .)");
  check->add_option("--assignments", flags->assignments_dir, "where assignments are found by name");
  check->add_option("--seed", flags->seed, "seed for per-run names (the same seed grades the same way)");
  check->callback([flags, &status] {
    auto spec = spec::load_assignment(assignment_dir(*flags));
    if (!spec) {
      std::cerr << "shmgrade check: " << spec.error().message() << "\n";
      status = 2;
      return;
    }
    engine::Grade g = engine::grade(*spec, flags->submission, flags->seed);
    print(g, *spec, isatty(STDOUT_FILENO));
    status = g.status == engine::GradeStatus::Graded && g.score == g.max_score ? 0 : 1;
  });
}

}  // namespace shm::cli
