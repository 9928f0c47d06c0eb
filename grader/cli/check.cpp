// shmgrade check — a student's self-check: build the submission, run the assignment's tests, show what
// passed, why the rest failed, and each finding at its file:line. Exit 0 only at full marks.
#include "check.hpp"

#include <unistd.h>

#include <iostream>

#include "assignments.hpp"
#include "grading/grade.hpp"
#include "report/report.hpp"

namespace shm::cli {

namespace {
struct CheckFlags {
  AssignmentFlags assignment;
  std::string submission = ".";
};
}  // namespace

void add_check_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* check = app.add_subcommand("check", "Check a submission against an assignment's tests");
  check->footer("Exit status: 0 at full marks, 1 below, 2 for a usage or assignment-spec error.");
  add_assignment_flags(check, flags->assignment);
  add_test_flag(check, flags->assignment);
  check->add_option("submission", flags->submission, "the submission's folder (default: .)");
  check->callback([flags, &status] {
    auto spec = load_spec(flags->assignment, "shmgrade check", status);
    if (!spec || !submission_folder(flags->submission, "shmgrade check", status)) return;
    grading::Grade g = grading::grade(*spec, flags->submission, flags->assignment.options());
    std::cout << report::to_text(report::for_students(g), {flags->assignment.language(), bool(isatty(STDOUT_FILENO)), spec->title});
    for (const auto& what : g.left_behind) std::cerr << "shmgrade check: could not remove " << what << "\n";
    status = !g.left_behind.empty() ? 3 : grading::full_marks(g) ? 0 : 1;
  });
}

}  // namespace shm::cli
