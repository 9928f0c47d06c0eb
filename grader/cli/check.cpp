// shmgrade check — a student's self-check: build the submission, run the assignment's tests, show what
// passed, why the rest failed, and each finding at its file:line. Exit 0 only at full marks. With --watch, again
// each time a file of the submission changes, until Ctrl-C (the last grading's exit status).
#include "check.hpp"

#include <unistd.h>

#include <iostream>

#include "assignments.hpp"
#include "grading/grade.hpp"
#include "report/report.hpp"
#include "clock.hpp"
#include "text.hpp"
#include "watch.hpp"

namespace shm::cli {

namespace {
struct CheckFlags {
  AssignmentFlags assignment;
  std::string submission = ".";
  bool watch = false;
};

// One grading, shown: check's exit status for it.
int check_once(const spec::AssignmentSpec& spec, const CheckFlags& flags) {
  grading::Grade g = grading::grade(spec, flags.submission, flags.assignment.options());
  std::cout << report::to_text(report::for_students(g), {flags.assignment.language(), bool(isatty(STDOUT_FILENO)), spec.title})
            << std::flush;
  for (const auto& what : g.left_behind) std::cerr << "shmgrade check: could not remove " << what << "\n";
  return !g.left_behind.empty() ? 3 : grading::full_marks(g) ? 0 : 1;
}

// check --watch: grade, then again after each change, the screen cleared on a terminal (a log keeps each).
int watch(const spec::AssignmentSpec& spec, const CheckFlags& flags) {
  catch_interrupts();
  auto folder = FolderWatch::open(flags.submission);
  if (!folder) {
    std::cerr << "shmgrade check: --watch: " << folder.error().message() << "\n";
    return 2;
  }
  const bool terminal = isatty(STDOUT_FILENO);
  int status = check_once(spec, flags);
  while (!interrupted()) {
    std::cout << (terminal ? "watching " : "shmgrade check: watching ") << flags.submission
              << " for changes (Ctrl-C to stop)\n" << std::flush;
    const auto changed = folder->next_change();
    if (!changed) break;
    if (terminal) std::cout << "\033[H\033[2J";
    std::cout << "shmgrade check: " << shell_word(*changed) << " changed at " << clock_time() << ": grading again\n";
    status = check_once(spec, flags);
  }
  return status;
}

}  // namespace

void add_check_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<CheckFlags>();
  CLI::App* check = app.add_subcommand("check", "Check a submission against an assignment's tests");
  check->footer("Exit status: 0 at full marks, 1 below, 2 for a usage or assignment-spec error.");
  add_assignment_flags(check, flags->assignment);
  add_test_flag(check, flags->assignment);
  check->add_option("submission", flags->submission, "the submission's folder (default: .)");
  check->add_flag("--watch", flags->watch, "grade again each time a file of the submission changes, until Ctrl-C");
  check->callback([flags, &status] {
    auto spec = load_spec(flags->assignment, "shmgrade check", status);
    if (!spec || !submission_folder(flags->submission, "shmgrade check", status)) return;
    status = flags->watch ? watch(*spec, *flags) : check_once(*spec, *flags);
  });
}

}  // namespace shm::cli
