// shmgrade grade — grade a submission for CI pipelines and batch grading; shmgrade list — the assignments.
#include "grade.hpp"

#include <cerrno>
#include <cstdlib>
#include <optional>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "assignments.hpp"
#include "batch/inputs.hpp"
#include "batch/late.hpp"
#include "grading/grade.hpp"
#include "files.hpp"
#include "report/report.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

namespace {
struct GradeFlags {
  AssignmentFlags assignment;
  std::string submission, format = "text", out, late, metadata, source_root, fail_under;
  bool partial = false, exit_zero = false;
};

// --fail-under SCORE or PERCENT%: the score below which grade exits 1 (without it, full marks).
struct Threshold {
  double value = 0;
  bool percent = false;
  bool met_by(const grading::Grade& g) const {
    return percent ? g.score * 100 >= value * g.max_score - 1e-9 : g.score >= value - 1e-9;
  }
};

Result<Threshold> parse_threshold(const std::string& text) {
  Threshold t;
  std::string number = text;
  if (!number.empty() && number.back() == '%') t.percent = true, number.pop_back();
  char* end = nullptr;
  errno = 0;
  t.value = strtod(number.c_str(), &end);
  if (number.empty() || *end || errno || !(t.value >= 0) || (t.percent && t.value > 100))
    return Error{"--fail-under " + text + ": a score (12, 12.5) or a percentage of the maximum (80%), at least 0"};
  return t;
}

// The exit status table (README "Exit statuses"): 3 when shmgrade failed, 1 when the submission was not graded
// (rejected, compile error) or scored below the threshold, 0 otherwise; --exit-zero makes 1 a 0.
int exit_status(const grading::Grade& g, const std::optional<Threshold>& threshold, bool exit_zero) {
  if (g.status == grading::GradeStatus::InternalError || !g.left_behind.empty()) return 3;
  const bool passed = threshold ? g.status == grading::GradeStatus::Graded && threshold->met_by(g) : grading::full_marks(g);
  return passed || exit_zero ? 0 : 1;
}

// --late with --submission-metadata (Gradescope's submission_metadata.json: created_at, users[0]'s sid, email
// or id for extensions): the score less the policy's penalty, said in the grade's message.
Status apply_late_policy(grading::Grade& g, const std::string& policy_file, const std::string& metadata_file) {
  auto policy = batch::read_late_policy(policy_file);
  if (!policy) return policy.error();
  std::ifstream in(metadata_file);
  const auto meta = nlohmann::json::parse(in, nullptr, false);
  if (meta.is_discarded() || !meta.is_object() || !meta.contains("created_at") || !meta["created_at"].is_string())
    return Error{metadata_file + ": not a submission_metadata.json with a created_at"};
  const int64_t submitted_at = batch::parse_created_at(meta["created_at"].get<std::string>());
  if (submitted_at == 0) return Error{metadata_file + ": created_at " + meta["created_at"].get<std::string>() + " is not a time"};
  std::string id;
  if (meta.contains("users") && meta["users"].is_array() && !meta["users"].empty() && meta["users"][0].is_object())
    for (const char* key : {"sid", "email", "id"})
      if (id.empty() && meta["users"][0].contains(key) && !meta["users"][0][key].is_null()) {
        const auto& v = meta["users"][0][key];
        id = v.is_string() ? v.get<std::string>() : v.dump();
      }
  const batch::Lateness late = batch::lateness(*policy, id, submitted_at);
  if (late.penalty_percent <= 0) return ok();
  const double before = g.score;
  g.score = batch::score_after_late(g.score, late.penalty_percent);
  g.message += (g.message.empty() ? "" : "\n") + std::string("late by ") + std::to_string(late.late_by_s / 3600) + " h " +
               std::to_string(late.late_by_s % 3600 / 60) + " min: -" + report::number(late.penalty_percent) + "% (" +
               report::number(before) + " before the penalty)";
  return ok();
}

bool append_file(const std::string& path, const std::string& text) {
  std::ofstream file(path, std::ios::app);
  return bool(file << text) && bool(file.flush());
}
}  // namespace

void add_grade_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<GradeFlags>();
  CLI::App* grade = app.add_subcommand("grade", "Grade a submission (CI pipelines, batch grading)");
  grade->footer(
      "Exit status: 0 graded at full marks (or at --fail-under's threshold); 1 below it, or not graded (a compile\n"
      "error or a rejected submission; a result is written all the same); 2 usage or assignment-spec error;\n"
      "3 internal error. --exit-zero turns 1 into 0.\n"
      "With --format github, a Markdown summary is appended to $GITHUB_STEP_SUMMARY when it is set.");
  add_assignment_flags(grade, flags->assignment);
  add_test_flag(grade, flags->assignment);
  grade->add_option("submission", flags->submission, "the submission's folder")->required();
  std::vector<std::string> formats;
  for (const auto& w : report::writers()) formats.push_back(w.format);
  grade->add_option("--format", flags->format, report::format_names() + " (json is the instructor's: it keeps hidden tests)")
      ->check(CLI::IsMember(formats));
  grade->add_option("--out", flags->out, "write the result to FILE (default: stdout)");
  grade->add_flag("--partial", flags->partial,
                  "with --out: write the result so far each time a test ends, so that a grading cut short (a "
                  "platform's time limit) leaves the tests that ended");
  grade->add_option("--fail-under", flags->fail_under,
                    "exit 1 only when the score is below SCORE, or below PERCENT% of the maximum (default: full marks)");
  grade->add_flag("--exit-zero", flags->exit_zero, "exit 0 whenever a result is written (pipelines that only collect it)");
  grade->add_option("--source-root", flags->source_root,
                    "paths in sarif, github, junit and codequality are relative to DIR (default: the current directory "
                    "when the submission lies under it, else the submission)");
  grade->add_option("--late", flags->late, "a late policy (as batch's) to apply; needs --submission-metadata");
  grade->add_option("--submission-metadata", flags->metadata,
                    "Gradescope's submission_metadata.json: when it was submitted, by whom (for extensions)");
  grade->callback([flags, &status] {
    auto spec = load_spec(flags->assignment, "shmgrade grade", status);
    if (!spec || !submission_folder(flags->submission, "shmgrade grade", status)) return;
    // A result with nowhere to go is said before the grading, not after it.
    if (const fs::path folder = fs::path(flags->out).parent_path(); !flags->out.empty() && !folder.empty()) {
      std::error_code ec;
      if (!fs::is_directory(folder, ec)) {
        std::cerr << "shmgrade grade: --out " << flags->out << ": " << folder.string()
                  << (fs::exists(folder, ec) ? " is not a folder" : ": no such folder") << "\n";
        status = 2;
        return;
      }
    }
    if (flags->late.empty() != flags->metadata.empty()) {
      std::cerr << "shmgrade grade: --late and --submission-metadata go together\n";
      status = 2;
      return;
    }
    std::optional<Threshold> threshold;
    if (!flags->fail_under.empty()) {
      auto parsed = parse_threshold(flags->fail_under);
      if (!parsed) {
        std::cerr << "shmgrade grade: " << parsed.error().message() << "\n";
        status = 2;
        return;
      }
      threshold = *parsed;
    }
    grading::GradeOptions grade_options = flags->assignment.options();
    const report::Options options{flags->assignment.language(), false, spec->title, flags->source_root};
    if (flags->partial && !flags->out.empty())
      grade_options.progress = [&](const grading::Grade& partial) {
        if (auto w = write_file_atomically(flags->out, report::find_writer(flags->format)->write(partial, options)); !w)
          std::cerr << "shmgrade grade: a partial result could not be written: " << w.error().message() << "\n";
      };
    grading::Grade g = grading::grade(*spec, flags->submission, grade_options);
    if (!flags->late.empty())
      if (auto applied = apply_late_policy(g, flags->late, flags->metadata); !applied) {
        std::cerr << "shmgrade grade: " << applied.error().message() << "\n";
        status = 2;
        return;
      }
    const std::string text = report::find_writer(flags->format)->write(g, options);
    if (flags->out.empty()) {
      std::cout << text << std::flush;
    } else if (auto written = write_file_atomically(flags->out, text); !written) {
      std::cerr << "shmgrade grade: " << written.error().message() << "\n";
      status = 3;
      return;
    }
    if (const char* summary = getenv("GITHUB_STEP_SUMMARY"); summary && *summary && flags->format == "github")
      if (!append_file(summary, report::github_step_summary(g, options)))
        std::cerr << "shmgrade grade: cannot append to $GITHUB_STEP_SUMMARY (" << summary << ")\n";
    for (const auto& what : g.left_behind) std::cerr << "shmgrade grade: could not remove " << what << "\n";
    status = exit_status(g, threshold, flags->exit_zero);
  });
}

void add_list_command(CLI::App& app, int& status) {
  auto dir = std::make_shared<std::string>(runtime_file(RuntimeFile::Assignments).string());
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
