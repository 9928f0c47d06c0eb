// shmgrade check — a student's self-check: build the submission, run the assignment's tests, show what
// passed and why the rest failed. Exit 0 only at full marks.
#include "check.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "assignments.hpp"
#include "engine/run_tests.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

namespace {

struct CheckFlags {
  AssignmentFlags assignment;
  std::string submission = ".";
};

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
  add_assignment_flags(check, flags->assignment);
  check->add_option("submission", flags->submission, "the submission's folder (default: .)");
  check->callback([flags, &status] {
    auto spec = load_spec(flags->assignment, "shmgrade check", status);
    if (!spec) return;
    engine::Grade g = engine::grade(*spec, flags->submission, flags->assignment.seed);
    print(g, *spec, isatty(STDOUT_FILENO));
    status = g.status == engine::GradeStatus::Graded && g.score == g.max_score ? 0 : 1;
  });
}

}  // namespace shm::cli
