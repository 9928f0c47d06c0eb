// What `check` and `grade` share: choosing an assignment (by name under the assignments folder, or by the
// path to its folder), the seed, and loading its spec (a broken spec is exit status 2, naming file and line).
#pragma once

#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "grading/grade.hpp"
#include "runtime_files.hpp"
#include "spec/assignment_spec.hpp"

namespace shm::cli {

struct AssignmentFlags {
  std::string assignment, assignments_dir = runtime_file(RuntimeFile::Assignments).string();
  uint64_t seed = 1;
  unsigned jobs = 0;  // 0: one per CPU
  std::string lang;   // en or zh; empty: from LANG
  std::vector<std::string> tests;  // --test: only these (check, grade)
  grading::GradeOptions options() const;
  catalogue::Lang language() const;
};

void add_assignment_flags(CLI::App* command, AssignmentFlags& flags);
// --test NAME (repeatable): grade only the tests named, as a failed test's "rerun:" line says.
void add_test_flag(CLI::App* command, AssignmentFlags& flags);
std::filesystem::path resolve_assignment(const std::string& assignment, const std::string& assignments_dir);
// Whether SUBMISSION is a folder; if not, prints why ("no such folder", "is a file; give the folder that holds
// it") as WHO and sets STATUS to 2: a usage error, not a submission graded 0.
bool submission_folder(const std::string& submission, const std::string& who, int& status);
// The spec (only the tests --test names, when it was given), or nothing after printing "WHO: file:line:col: ..."
// or "WHO: no test named X" and setting STATUS to 2.
std::optional<spec::AssignmentSpec> load_spec(const AssignmentFlags& flags, const std::string& who, int& status);

}  // namespace shm::cli
