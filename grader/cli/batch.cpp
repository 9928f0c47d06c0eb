#include "batch.hpp"

#include <unistd.h>

#include <iostream>

#include "assignments.hpp"
#include "batch/batch.hpp"
#include "batch/inputs.hpp"
#include "batch/merge.hpp"
#include "report/report.hpp"
#include "validators.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

namespace {
struct BatchFlags {
  AssignmentFlags assignment;
  std::string input, out, layout = "auto", roster, late, shard = "0/1";
  std::optional<size_t> shard_count;
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

// The command that reruns this batch (as a merge prints it for a shard that is missing): its flags as parsed.
std::vector<std::string> command_of(const BatchFlags& f, const batch::BatchOptions& o) {
  std::error_code ec;
  std::vector<std::string> c = {fs::read_symlink("/proc/self/exe", ec).string(), "batch", f.assignment.assignment,
                                fs::absolute(f.input, ec).string(), "--out", fs::absolute(f.out, ec).string(),
                                "--shard", f.shard, "--seed", std::to_string(o.seed)};
  if (f.shard_count) c.insert(c.end(), {"--shard-count", std::to_string(*f.shard_count)});
  if (f.assignment.assignments_dir != runtime_file(RuntimeFile::Assignments).string()) c.insert(c.end(), {"--assignments", f.assignment.assignments_dir});
  if (f.layout != "auto") c.insert(c.end(), {"--layout", f.layout});
  if (!f.roster.empty()) c.insert(c.end(), {"--roster", fs::absolute(f.roster, ec).string()});
  if (!f.late.empty()) c.insert(c.end(), {"--late", fs::absolute(f.late, ec).string()});
  for (const auto& format : f.formats) c.insert(c.end(), {"--format", format});
  if (f.similarity) c.push_back("--similarity");
  if (!f.assignment.lang.empty()) c.insert(c.end(), {"--lang", f.assignment.lang});
  return c;
}

// What batch and merge print at the end, and their exit status: 0 everyone at full marks, 1 some below,
// 3 an infrastructure failure worth a retry (a grading died, something left behind, similarity failed).
int report_summary(const batch::BatchSummary& summary, const fs::path& out, bool similarity, bool late) {
  for (const auto& what : summary.left_behind) std::cerr << "shmgrade: could not remove " << what << "\n";
  for (const auto& id : summary.not_on_roster) std::cerr << "shmgrade: " << id << " is not on the roster\n";
  if (!summary.missing.empty()) std::cout << "missing (on the roster, no submission): " << summary.missing.size() << "\n";
  if (late) std::cout << "late: " << summary.late << "\n";
  if (summary.score_changes)
    std::cout << "changed by the new spec or grader: " << summary.score_changes << " (score-changes.csv)\n";
  for (const auto& w : summary.similarity_warnings) std::cerr << "shmgrade: similarity: " << w << "\n";
  if (!summary.similarity_error.empty())
    std::cerr << "shmgrade: similarity: " << summary.similarity_error << "\n";
  else if (similarity)
    std::cout << "similar pairs: " << summary.similar_pairs << " (similarity.csv)\n";
  std::cout << "students " << summary.students << ", graded " << summary.graded << ", reused " << summary.reused
            << ", full marks " << summary.full_marks << ", internal errors " << summary.internal_errors << " ("
            << report::number(summary.seconds) << " s)\n";
  if (fs::exists(out / "gradebook.csv")) std::cout << "gradebook: " << (out / "gradebook.csv").string() << "\n";
  return summary.internal_errors || !summary.left_behind.empty() || !summary.similarity_error.empty() ? 3
         : summary.full_marks == summary.students                                                      ? 0
                                                                                                       : 1;
}

}  // namespace

void add_batch_command(CLI::App& app, int& status) {
  auto flags = std::make_shared<BatchFlags>();
  CLI::App* batch = app.add_subcommand("batch", "Grade a whole class from an LMS export (folders, archives, Canvas, Moodle)");
  batch->footer(
      "Writes DIR/results/ID.json (the grade JSON plus the ledger key), DIR/feedback/ID.md (what the student may\n"
      "see), DIR/gradebook.csv, DIR/report.html and, with a roster or a Canvas download, DIR/canvas.csv; with\n"
      "--shard K/N only its students' results and DIR/shard.json, for shmgrade merge. A rerun reuses every result\n"
      "whose key (submission, spec, grader version, seed) still matches. Exit status: 0 every student at full\n"
      "marks; 1 some below (a student's failure is a result: never retry it); 2 usage, spec or export error;\n"
      "3 an infrastructure failure worth a retry (a grading died, something left behind, --similarity failed).");
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
  batch->add_option("--shard", flags->shard,
                    "grade only shard K of N (0-based K/N; a student's shard is a hash of their id), or auto: "
                    "from Slurm's array, a Kubernetes Indexed Job or GitLab's parallel (see README)");
  batch->add_option("--shard-count", flags->shard_count, "with --shard auto in a Kubernetes Indexed Job: its completions")
      ->check(positive_number());
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
    o.roster_path = flags->roster;
    o.late_path = flags->late;
    auto shard = batch::parse_shard(flags->shard, flags->shard_count);
    if (!shard) {
      std::cerr << "shmgrade batch: " << shard.error().message() << "\n";
      status = 2;
      return;
    }
    o.shard = *shard;
    o.command = command_of(*flags, o);
    std::cerr << "shmgrade batch: " << spec->name << ", seed " << o.seed << ", " << o.jobs << " at a time\n";
    auto summary = batch::run_batch(*spec, o);
    if (!summary) {
      std::cerr << "shmgrade batch: " << summary.error().message() << "\n";
      status = 2;
      return;
    }
    for (const auto& what : summary->ignored) std::cerr << "shmgrade batch: ignored " << what << "\n";
    if (o.shard.count > 1)
      std::cout << "shard " << o.shard.index << "/" << o.shard.count << " (" << o.shard.source << "): "
                << "merge the shards' dirs with shmgrade merge\n";
    status = report_summary(*summary, flags->out, o.similarity && o.shard.count == 1, o.late.has_value());
  });
}

void add_merge_command(CLI::App& app, int& status) {
  struct MergeFlags {
    std::vector<std::string> dirs;
    std::string out;
  };
  auto flags = std::make_shared<MergeFlags>();
  CLI::App* merge = app.add_subcommand("merge", "Join the results dirs of batch --shard K/N into one class's");
  merge->footer(
      "Writes into --out what one `shmgrade batch` of the whole class writes (results, feedback, gradebook.csv,\n"
      "canvas.csv, report.html, similarity across all shards). Exit status: 0 everyone at full marks; 1 some below;\n"
      "2 usage, or dirs that are not shards of one class; 3 an infrastructure failure (retry); 4 shards missing or\n"
      "unfinished: each is named, with the command that reruns it.");
  merge->add_option("dirs", flags->dirs, "the shards' results dirs")->required()->check(CLI::ExistingDirectory);
  merge->add_option("--out", flags->out, "the class's results dir (made if missing)")->required();
  merge->callback([flags, &status] {
    std::vector<fs::path> dirs(flags->dirs.begin(), flags->dirs.end());
    auto merged = batch::merge_shards(dirs, flags->out);
    if (!merged) {
      std::cerr << "shmgrade merge: " << merged.error().message() << "\n";
      status = 2;
      return;
    }
    if (!merged->incomplete.empty()) {
      for (const auto& what : merged->incomplete) std::cerr << "shmgrade merge: incomplete: " << what << "\n";
      std::cerr << "shmgrade merge: rerun, then merge again:\n";
      for (const auto& command : merged->reruns) std::cerr << "  " << command << "\n";
      status = 4;
      return;
    }
    status = report_summary(merged->summary, flags->out, merged->similarity, false);
  });
}

}  // namespace shm::cli
