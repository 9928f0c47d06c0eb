#include "assignments.hpp"

#include <algorithm>
#include <iostream>
#include <vector>

#include "text.hpp"
#include <thread>

namespace shm::cli {

void add_assignment_flags(CLI::App* command, AssignmentFlags& flags) {
  command->add_option("assignment", flags.assignment, "an assignment's name, or the path to its folder")->required();
  command->add_option("--assignments", flags.assignments_dir, "where assignments are found by name");
  command->add_option("--seed", flags.seed, "seed for per-run names (the same seed grades the same way)");
  command->add_option("--jobs", flags.jobs, "tests run side by side (default: one per CPU)");
  command->add_option("--lang", flags.lang, "language of messages: en or zh (default: from LC_ALL, LC_MESSAGES or LANG, the first set)")
      ->check(CLI::IsMember({"en", "zh"}));
}

void add_test_flag(CLI::App* command, AssignmentFlags& flags) {
  command->add_option("--test", flags.tests, "grade only this test (by its name; repeatable), as a failed test's rerun line says");
}

grading::GradeOptions AssignmentFlags::options() const {
  return {seed, jobs ? jobs : std::max(1u, std::thread::hardware_concurrency())};
}

catalogue::Lang AssignmentFlags::language() const {
  catalogue::Lang l = catalogue::lang_from_env();
  if (!lang.empty()) catalogue::parse_lang(lang, l);
  return l;
}

std::filesystem::path resolve_assignment(const std::string& assignment, const std::string& assignments_dir) {
  std::error_code ec;
  if (assignment.find('/') != std::string::npos || std::filesystem::exists(assignment + "/assignment.toml", ec))
    return assignment;
  return std::filesystem::path(assignments_dir) / assignment;
}

namespace {

// "no assignment named X in DIR", with the nearest name when one is close, and where the names are listed.
std::string unknown_assignment(const std::string& name, const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (std::filesystem::exists(entry.path() / "assignment.toml", ec)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  // Further than half the name is another word, not a typo.
  const std::string nearest = nearest_word(name, names, name.size() / 2 + 2);
  return "no assignment named '" + name + "' in " + dir + (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") +
         " (shmgrade list shows them all)";
}

}  // namespace

bool submission_folder(const std::string& submission, const std::string& who, int& status) {
  std::error_code ec;
  const std::filesystem::path path(submission);
  if (std::filesystem::is_directory(path, ec)) return true;
  if (std::filesystem::exists(path, ec))
    std::cerr << who << ": " << submission << " is a file; give the folder that holds it ("
              << (path.has_parent_path() ? path.parent_path().string() : ".") << ")\n";
  else
    std::cerr << who << ": " << submission << ": no such folder\n";
  status = 2;
  return false;
}

std::optional<spec::AssignmentSpec> load_spec(const AssignmentFlags& flags, const std::string& who, int& status) {
  const std::filesystem::path dir = resolve_assignment(flags.assignment, flags.assignments_dir);
  std::error_code ec;
  if (flags.assignment.find('/') == std::string::npos && !std::filesystem::exists(dir, ec)) {
    std::cerr << who << ": " << unknown_assignment(flags.assignment, flags.assignments_dir) << "\n";
    status = 2;
    return std::nullopt;
  }
  auto spec = spec::load_assignment(dir);
  if (!spec) {
    std::cerr << who << ": " << spec.error().message() << "\n";
    status = 2;
    return std::nullopt;
  }
  if (flags.tests.empty()) return std::move(spec.value());
  std::vector<std::string> names;
  std::vector<std::string> names_zh;  // a test may be named in Chinese too
  for (const auto& t : spec->tests) names.push_back(t.name), names_zh.push_back(t.name_zh);
  for (const auto& wanted : flags.tests)
    if (std::find(names.begin(), names.end(), wanted) == names.end() &&
        std::find(names_zh.begin(), names_zh.end(), wanted) == names_zh.end()) {
      const std::string nearest = nearest_word(wanted, names, wanted.size() / 2 + 2);
      std::cerr << who << ": --test: no test named '" << wanted << "' in " << spec->name
                << (nearest.empty() ? "" : "; did you mean '" + nearest + "'?") << " (its tests: ";
      for (size_t i = 0; i < names.size(); i++) std::cerr << (i ? ", " : "") << "'" << names[i] << "'";
      std::cerr << ")\n";
      status = 2;
      return std::nullopt;
    }
  std::erase_if(spec->tests, [&](const spec::TestSpec& t) {
    return std::find(flags.tests.begin(), flags.tests.end(), t.name) == flags.tests.end() &&
           (t.name_zh.empty() || std::find(flags.tests.begin(), flags.tests.end(), t.name_zh) == flags.tests.end());
  });
  return std::move(spec.value());
}

}  // namespace shm::cli
