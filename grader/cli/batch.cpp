#include "batch.hpp"

#include <unistd.h>

#include <iostream>

#include "assignments.hpp"
#include "batch/batch.hpp"
#include "batch/inputs.hpp"
#include "report/report.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

namespace {
struct BatchFlags {
  AssignmentFlags assignment;
  std::string input, out, layout = "auto", roster, late;
  std::vector<std::string> only, formats;
  bool force = false, similarity = false;
};
// An optional input file read by READ into INTO; a broken one is printed, naming its file and line, and is
// exit status 2.
template <typename T>
bool load(const std::string& path, Result<T> (*read)(const fs::path&), std::optional<T>& into, int& status) {
  if (path.empty()) return true;
  auto loaded = read(path);
  if (!loaded) {
    std::cerr << "shmgrade batch: " << loaded.error().message() << "\n";
    status = 2;
    return false;
  }
  into = std::move(*loaded);
  return true;
}

}  // namespace

void add_batch_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<BatchFlags>();
  CLI::App* batch = app.add_subcommand("batch", "Grade a whole class from an LMS export (folders, archives, Canvas, Moodle)");
  batch->footer(
      "Writes DIR/results/ID.json (the grade JSON plus the ledger key), DIR/feedback/ID.md (what the student may\n"
      "see), DIR/gradebook.csv and, with a roster or a Canvas download, DIR/canvas.csv. A rerun reuses every result whose key (submission, spec, grader version, seed)\n"
      "still matches. Exit status: 0 every student at full marks; 1 some below; 2 usage, spec or export error;\n"
      "3 an internal error for some student (rerun to retry them), something left behind, or --similarity failed.");
  add_assignment_flags(batch, flags->assignment);
  batch->add_option("input", flags->input, "the export: a folder, or an archive of one (an LMS download)")->required();
  batch->add_option("--out", flags->out, "the results folder (made if missing; reused by reruns)")->required();
  std::vector<std::string> layouts;
  for (const char* const* l = batch::kLayouts; *l; l++) layouts.push_back(*l);
  batch->add_option("--layout", flags->layout, "how the export names students (default: detected)")
      ->check(CLI::IsMember(layouts));
  batch->add_option("--only", flags->only, "grade only these student ids (the others keep their results, or stay not-graded)");
  std::vector<std::string> formats;
  for (const auto& w : report::writers())
    if (std::string(w.format) != "json") formats.push_back(w.format);
  batch->add_option("--format", flags->formats,
                    "more formats of each student's feedback, written to DIR/feedback/ID.EXT: text (.txt), junit "
                    "(.junit.xml), gradescope (.gradescope.json), sarif (.sarif), github (.github.log); "
                    "comma-separated or repeated")
      ->delimiter(',')
      ->check(CLI::IsMember(formats));
  batch->add_flag("--force", flags->force, "ignore the ledger: grade every student again");
  batch->add_flag("--similarity", flags->similarity,
                  "find pairs of submissions that are suspiciously alike with Dolos (starter code ignored): "
                  "similarity.csv, similarity.json and the report");
  batch->add_option("--roster", flags->roster, "CSV with id, name, email, canvas_id, sis_user_id, sis_login_id, section");
  batch->add_option("--late", flags->late, "late policy (TOML: due, grace_minutes, penalty_per_day|hour, cap, extensions)");
  batch->callback([flags, &status] {
    auto spec = load_spec(flags->assignment, "shmgrade batch", status);
    if (!spec) return;
    batch::BatchOptions o;
    o.assignment_dir = resolve_assignment(flags->assignment.assignment, flags->assignment.assignments_dir);
    o.input = flags->input;
    o.out = flags->out;
    o.layout = flags->layout;
    const unsigned cpus = std::max(1u, unsigned(sysconf(_SC_NPROCESSORS_ONLN)));
    o.jobs = flags->assignment.jobs ? flags->assignment.jobs : cpus;
    o.test_jobs = 2 * cpus;  // most test time is waiting (time limits, sleeps, children): oversubscribed
    o.only = flags->only;
    o.force = flags->force;
    o.similarity = flags->similarity;
    o.formats = flags->formats;
    o.seed = flags->assignment.seed;
    o.lang = flags->assignment.language();
    o.progress_bar = isatty(2);
    if (!load(flags->roster, batch::read_roster, o.roster, status) || !load(flags->late, batch::read_late_policy, o.late, status))
      return;
    std::cerr << "shmgrade batch: " << spec->name << ", seed " << o.seed << ", " << o.jobs << " at a time\n";
    auto summary = batch::run_batch(*spec, o);
    if (!summary) {
      std::cerr << "shmgrade batch: " << summary.error().message() << "\n";
      status = 2;
      return;
    }
    for (const auto& what : summary->ignored) std::cerr << "shmgrade batch: ignored " << what << "\n";
    for (const auto& what : summary->left_behind) std::cerr << "shmgrade batch: could not remove " << what << "\n";
    for (const auto& id : summary->not_on_roster) std::cerr << "shmgrade batch: " << id << " is not on the roster\n";
    if (!summary->missing.empty()) std::cout << "missing (on the roster, no submission): " << summary->missing.size() << "\n";
    if (o.late) std::cout << "late: " << summary->late << "\n";
    if (summary->score_changes)
      std::cout << "changed by the new spec or grader: " << summary->score_changes << " (score-changes.csv)\n";
    for (const auto& w : summary->similarity_warnings) std::cerr << "shmgrade batch: similarity: " << w << "\n";
    if (!summary->similarity_error.empty())
      std::cerr << "shmgrade batch: similarity: " << summary->similarity_error << "\n";
    else if (o.similarity)
      std::cout << "similar pairs: " << summary->similar_pairs << " (similarity.csv)\n";
    std::cout << "students " << summary->students << ", graded " << summary->graded << ", reused " << summary->reused
              << ", full marks " << summary->full_marks << ", internal errors " << summary->internal_errors << " ("
              << report::number(summary->seconds) << " s)\n"
              << "gradebook: " << (fs::path(flags->out) / "gradebook.csv").string() << "\n";
    status = summary->internal_errors || !summary->left_behind.empty() || !summary->similarity_error.empty() ? 3
             : summary->full_marks == summary->students               ? 0
                                                                       : 1;
  });
}

}  // namespace shm::cli
