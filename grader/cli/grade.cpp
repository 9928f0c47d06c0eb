// shmgrade grade — grade a submission for CI pipelines and batch grading; shmgrade list — the assignments.
#include "grade.hpp"

#include <fstream>
#include <iostream>

#include "assignments.hpp"
#include "engine/run_tests.hpp"
#include "report/json.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

namespace {
struct GradeFlags {
  AssignmentFlags assignment;
  std::string submission, format = "text", out;
};

std::string as_text(const engine::Grade& g) {
  std::ostringstream s;
  s << g.assignment << ": " << engine::grade_status_name(g.status) << ", score " << g.score << " / " << g.max_score
    << "\n";
  if (!g.message.empty()) s << g.message << "\n";
  for (const auto& t : g.tests)
    s << "  " << engine::test_status_name(t.status) << "  " << t.name << "  " << t.score << "/" << t.max_score
      << (t.output.empty() ? "" : "  " + t.output) << "\n";
  return s.str();
}
}  // namespace

void add_grade_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<GradeFlags>();
  CLI::App* grade = app.add_subcommand("grade", "Grade a submission (CI pipelines, batch grading)");
  grade->footer(
      "Exit status: 0 graded at full marks; 1 graded below full marks (compile errors and rejected submissions\n"
      "included, with a result all the same); 2 usage or assignment-spec error; 3 internal error.");
  add_assignment_flags(grade, flags->assignment);
  grade->add_option("submission", flags->submission, "the submission's folder")->required();
  grade->add_option("--format", flags->format, "text or json (junit, gradescope, sarif and github are to come)")
      ->check(CLI::IsMember({"text", "json"}));
  grade->add_option("--out", flags->out, "write the result to FILE (default: stdout)");
  grade->callback([flags, &status] {
    auto spec = load_spec(flags->assignment, "shmgrade grade", status);
    if (!spec) return;
    engine::Grade g = engine::grade(*spec, flags->submission, flags->assignment.seed);
    const std::string text = flags->format == "json" ? report::to_json(g).dump(2) + "\n" : as_text(g);
    if (flags->out.empty()) {
      std::cout << text;
    } else if (!(std::ofstream(flags->out) << text)) {
      std::cerr << "shmgrade grade: cannot write " << flags->out << "\n";
      status = 2;
      return;
    }
    status = g.status == engine::GradeStatus::InternalError ? 3 : g.score == g.max_score && g.status == engine::GradeStatus::Graded ? 0 : 1;
  });
}

void add_list_command(CLI::App& app, int& status) {
  auto dir = std::make_shared<std::string>(SHMGRADE_ASSIGNMENTS_DIR);
  CLI::App* list = app.add_subcommand("list", "List the assignments");
  list->add_option("--assignments", *dir, "where to look");
  list->callback([dir, &status] {
    std::error_code ec;
    std::vector<fs::path> found;
    for (const auto& entry : fs::directory_iterator(*dir, ec))
      if (fs::exists(entry.path() / "assignment.toml", ec)) found.push_back(entry.path());
    std::sort(found.begin(), found.end());
    for (const auto& path : found) {
      auto spec = spec::load_assignment(path);
      std::cout << path.filename().string() << "\t"
                << (spec ? spec->title + " (" + std::to_string(spec->tests.size()) + " tests)"
                         : "INVALID: " + spec.error().message())
                << "\n";
      if (!spec) status = 2;
    }
    if (ec) {
      std::cerr << "shmgrade list: " << *dir << ": " << ec.message() << "\n";
      status = 2;
    }
  });
}

}  // namespace shm::cli
