#include "batch.hpp"

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <map>

#include "clock.hpp"
#include "engine/build.hpp"
#include "files.hpp"
#include "grading/score.hpp"
#include "class_files.hpp"
#include "gradebook.hpp"
#include "score_changes.hpp"
#include "similarity.hpp"
#include "inputs.hpp"
#include "ledger.hpp"
#include "report/report.hpp"
#include "text.hpp"
#include "unpack.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

namespace {

struct Student {
  StudentFiles files;
  std::string file_name;  // results/FILE_NAME.json, feedback/FILE_NAME.md
  LedgerKey key;
  std::string key_error;  // the export's files could not be read
};

// Markdown a student reads: what `check` shows them, hidden tests withheld, in a fence no output can close.
std::string feedback_markdown(const std::string& text, const std::string& title) {
  size_t longest = 0, run = 0;
  for (char c : text) longest = std::max(longest, run = c == '`' ? run + 1 : 0);
  const std::string fence(std::max<size_t>(3, longest + 1), '`');
  return "# " + title + "\n\n" + fence + "\n" + text + (text.ends_with("\n") ? "" : "\n") +
         fence + "\n";
}

std::string utc_text(int64_t epoch) { return time_text(epoch, "%Y-%m-%dT%H:%M:%SZ", true); }

// FORMATS' files of a student's feedback: feedback/FILE_NAME.EXT.
std::vector<std::pair<const report::Writer*, fs::path>> format_files(const BatchOptions& o, const std::string& file_name) {
  std::vector<std::pair<const report::Writer*, fs::path>> files;
  for (const auto& format : o.formats)
    if (const report::Writer* w = report::find_writer(format))
      files.emplace_back(w, o.out / "feedback" / (file_name + w->extension));
  return files;
}

Status write_result(const BatchOptions& o, const Student& s, const grading::Grade& g, const report::Options& options,
                    int64_t submitted_at) {
  const fs::path& out = o.out;
  nlohmann::ordered_json j = report::to_json(g, options);
  j["batch"] = {{"id", s.files.id}, {"key", s.key.to_json()}, {"marked_late", s.files.marked_late}};
  if (!s.files.name.empty()) j["batch"]["name"] = s.files.name;
  for (const auto& p : s.files.paths) j["batch"]["files"].push_back(p.filename().string());
  if (submitted_at > 0) j["batch"]["submitted_at"] = submitted_at, j["batch"]["submitted"] = utc_text(submitted_at);
  // Feedback first: a result on disk means its feedback is there too.
  const std::string text = report::to_text(report::for_students(g), options);
  const std::string title = options.title + " — " + valid_utf8(s.files.id);
  const std::string html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + report::xml_text(title) +
                           "</title></head><body><h1>" + report::xml_text(title) + "</h1><pre>" + report::xml_text(text) +
                           "</pre></body></html>\n";
  if (auto w = write_file_atomically(out / "feedback" / (s.file_name + ".md"), feedback_markdown(text, title)); !w)
    return w;
  if (auto w = write_file_atomically(out / "feedback" / (s.file_name + ".html"), html); !w) return w;
  for (const auto& [writer, file] : format_files(o, s.file_name))
    if (auto w = write_file_atomically(file, writer->write(g, options)); !w) return w;
  return write_file_atomically(out / "results" / (s.file_name + ".json"), json_text(j, 2) + "\n");
}

// In a child process: collect, grade, write. Exit 0 when the result is written.
[[noreturn]] void grade_in_child(const spec::AssignmentSpec& spec, const BatchOptions& o, const Student& s) {
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // a killed batch takes its gradings with it
  const report::Options options{o.lang, false, spec.title};
  const fs::path dir = o.out / ".staging" / s.file_name;
  grading::Grade g;
  int64_t submitted_at = 0;  // the newest file's time: the exports we read carry no other
  if (!s.key_error.empty()) {
    g = grading::not_graded(spec, grading::GradeStatus::Rejected, "the export's files could not be read: " + s.key_error);
  } else if (auto collected = collect_submission(s.files, dir); !collected) {
    g = grading::not_graded(spec, grading::GradeStatus::Rejected, "your submission could not be unpacked: " +
                                                                    collected.error().message());
  } else {
    submitted_at = s.files.submitted_at ? s.files.submitted_at : newest_file_time(dir);
    g = grading::grade(spec, dir, {o.seed, o.test_jobs});
  }
  g.submission = s.files.id;
  grading::make_showable(g);
  (void)remove_tree(dir);
  _exit(write_result(o, s, g, options, submitted_at) ? 0 : 3);
}

class Progress {
 public:
  Progress(size_t total, bool bar) : total_(total), bar_(bar), started_(monotonic_seconds()) {}
  void done(const std::string& id, const std::string& what, bool failure) {
    done_++;
    failures_ += failure;
    const double elapsed = monotonic_seconds() - started_;
    const double per = elapsed / double(done_);
    if (!bar_) {
      std::fprintf(stderr, "batch: %zu/%zu %s: %s\n", done_, total_, valid_utf8(id).c_str(), what.c_str());
      return;
    }
    const int width = 30, filled = int(double(width) * double(done_) / double(std::max<size_t>(total_, 1)));
    std::fprintf(stderr, "\r\033[K[%s%s] %zu/%zu  %.1f s/student  ETA %.0f s  failures %zu  %s", std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), done_, total_, per, per * double(total_ - done_), failures_,
                 valid_utf8(id).substr(0, 24).c_str());
    if (done_ == total_) std::fprintf(stderr, "\n");
  }

 private:
  size_t total_, done_ = 0, failures_ = 0;
  bool bar_;
  double started_;
};

// Distinct file names for every id, the same in every run: ids sorted, a clash numbered.
void assign_file_names(std::vector<Student>& students) {
  std::map<std::string, int> used;
  for (auto& s : students) {
    std::string name = file_safe(s.files.id);
    if (int n = used[name]++; n > 0) name += "~" + std::to_string(n + 1);
    s.file_name = name;
  }
}

Result<fs::path> export_folder(const BatchOptions& o) {
  std::error_code ec;
  if (fs::is_directory(o.input, ec)) return o.input;
  if (!fs::is_regular_file(o.input, ec)) return Error{o.input.string() + ": no such folder or archive"};
  const fs::path unpacked = o.out / ".staging" / "export";
  if (auto s = unpack_archive(o.input, unpacked, kClassExportCaps); !s) return s.error();
  // A download that is one folder holding the export: the export is that folder.
  std::vector<fs::path> top;
  for (const auto& e : fs::directory_iterator(unpacked)) top.push_back(e.path());
  if (top.size() == 1 && fs::is_directory(top[0])) return top[0];
  return unpacked;
}

std::optional<ScoreAndFindings> recorded_score_and_findings(const fs::path& result_file) {
  std::ifstream in(result_file);
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  return score_and_findings(j);
}

// Every submission's sources, collected again under SOURCES (an archive is unpacked in the sandbox again: the
// gradings' copies are gone, and reused results never had one). Who cannot be collected is not compared.
std::vector<StudentSources> class_sources(const spec::AssignmentSpec& spec, const std::vector<Student>& students,
                                          const fs::path& sources) {
  std::vector<StudentSources> out;
  for (const auto& s : students) {
    const fs::path dir = sources / s.file_name;
    if (!s.key_error.empty() || !collect_submission(s.files, dir)) continue;
    if (auto found = engine::find_submission(dir, spec); found && !found->sources.empty())
      out.push_back({s.files.id, dir, found->sources});
  }
  return out;
}

ShardManifest shard_manifest(const BatchOptions& o, const std::string& spec_sha, const std::string& layout, size_t class_size) {
  std::error_code ec;
  auto absolute = [&](const std::string& path) { return path.empty() ? path : fs::absolute(path, ec).string(); };
  ShardManifest m;
  m.shard = o.shard;
  m.assignment_dir = absolute(o.assignment_dir);
  m.spec_sha256 = spec_sha;
  m.grader_version = SHMGRADE_VERSION;
  m.input = absolute(o.input);
  m.layout = layout;
  m.roster = absolute(o.roster_path);
  m.late = absolute(o.late_path);
  m.lang = o.lang == catalogue::Lang::Zh ? "zh" : "en";
  m.seed = o.seed;
  m.similarity = o.similarity;
  m.formats = o.formats;
  m.class_size = class_size;
  m.command = o.command;
  return m;
}

Status write_shard_manifest(const fs::path& out, const ShardManifest& m) {
  return write_file_atomically(out / "shard.json", json_text(to_json(m), 2) + "\n");
}

// A shard's end: its students' sources kept for the merge's similarity, then the manifest marked complete
// once every result is there. The class's files are the merge's to write.
Result<BatchSummary> finish_shard(const spec::AssignmentSpec& spec, const BatchOptions& o,
                                  const std::vector<Student>& students, ShardManifest manifest, BatchSummary summary,
                                  double started) {
  if (o.similarity) {
    if (auto s = remove_tree(o.out / "sources"); !s && fs::exists(o.out / "sources")) return s.error();
    (void)class_sources(spec, students, o.out / "sources");
  }
  for (const auto& s : students) {
    std::ifstream in(o.out / "results" / (s.file_name + ".json"));
    const auto j = nlohmann::json::parse(in, nullptr, false);
    summary.internal_errors += j.is_discarded() || j.value("status", "") == "internal-error";
    summary.full_marks += !j.is_discarded() && j.value("status", "") == "graded" && j["score"] == j["max_score"];
  }
  manifest.complete = true;
  if (auto w = write_shard_manifest(o.out, manifest); !w) return w.error();
  if (auto s = remove_tree(o.out / ".staging"); !s) summary.left_behind.push_back(s.error().message());
  summary.seconds = monotonic_seconds() - started;
  return summary;
}

}  // namespace

// Every temporary file of the batch's gradings lives in one folder named after DIR, so that a rerun after a
// kill removes what the killed one left. The sandbox's user must pass through it to its work dirs.
class BatchTemp {
 public:
  static Result<BatchTemp> make(const fs::path& out) {
    std::error_code ec;
    const fs::path path = "/tmp/shmgrade-batch-" + sha256_hex(fs::canonical(out, ec).string()).substr(0, 16);
    if (auto s = remove_tree(path); !s && fs::exists(path, ec)) return s.error();
    if (mkdir(path.c_str(), 0711) < 0) return errno_error("mkdir " + path.string());
    chmod(path.c_str(), 0711);
    setenv("SHMGRADE_TMPDIR", path.c_str(), 1);
    return BatchTemp(path);
  }
  BatchTemp(BatchTemp&& other) noexcept : path_(std::move(other.path_)) { other.path_.clear(); }
  ~BatchTemp() {
    if (path_.empty()) return;
    unsetenv("SHMGRADE_TMPDIR");
    (void)remove_tree(path_);
  }

 private:
  explicit BatchTemp(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

Result<BatchSummary> run_batch(const spec::AssignmentSpec& spec, const BatchOptions& o) {
  const double started = monotonic_seconds();
  std::error_code ec;
  for (const char* sub : {"results", "feedback"}) fs::create_directories(o.out / sub, ec);
  if (ec) return Error{o.out.string() + ": " + ec.message()};
  // A batch killed between writing a result's temporary file and its rename left that file behind.
  for (const char* sub : {"results", "feedback"}) remove_interrupted_writes(o.out / sub);
  if (auto s = remove_tree(o.out / ".staging"); !s && fs::exists(o.out / ".staging")) return s.error();
  fs::create_directories(o.out / ".staging", ec);
  auto temp = BatchTemp::make(o.out);
  if (!temp) return temp.error();
  if (o.similarity)  // before the class is graded, not after
    if (auto dolos = dolos_dir(); !dolos) return dolos.error();

  auto folder = export_folder(o);
  if (!folder) return folder.error();
  auto class_export = read_class_export(*folder, o.layout);
  if (!class_export) return class_export.error();
  for (const auto& id : o.only) {
    const bool known = std::any_of(class_export->students.begin(), class_export->students.end(),
                                   [&](const StudentFiles& s) { return s.id == id; });
    if (!known) return Error{"--only " + id + ": no such student in " + o.input.string()};
  }
  auto spec_sha = tree_sha256(o.assignment_dir, {"samples", "starter", "class"});
  if (!spec_sha) return spec_sha.error();

  std::vector<Student> students;
  for (auto& files : class_export->students) students.push_back({std::move(files), "", {}, ""});  // keyed below
  assign_file_names(students);  // over the whole class, so that every shard names a student alike
  ShardManifest manifest = shard_manifest(o, *spec_sha, class_export->layout, students.size());
  if (o.shard.count > 1) {
    std::erase_if(students, [&](const Student& s) { return !in_shard(s.files.id, o.shard); });
    for (const auto& s : students) manifest.students.push_back({s.files.id, s.file_name});
    if (auto w = write_shard_manifest(o.out, manifest); !w) return w.error();
  }
  BatchSummary summary;
  summary.students = students.size();
  summary.ignored = class_export->ignored;
  std::vector<const Student*> to_grade;
  std::map<std::string, ScoreAndFindings> before;  // by id: results made under another spec or grader version
  for (auto& s : students) {
    auto sha = paths_sha256(s.files.paths);
    if (!sha) s.key_error = sha.error().message();
    s.key = {sha ? *sha : "unreadable", *spec_sha, SHMGRADE_VERSION, o.seed};
    const bool asked = std::find(o.only.begin(), o.only.end(), s.files.id) != o.only.end();
    const fs::path result_file = o.out / "results" / (s.file_name + ".json");
    const auto recorded = recorded_key(result_file);
    const auto formats = format_files(o, s.file_name);
    const bool has_formats = std::all_of(formats.begin(), formats.end(), [](const auto& f) { return fs::exists(f.second); });
    if (!o.force && !asked && recorded && *recorded == s.key && s.key_error.empty() && has_formats) {
      summary.reused++;
      continue;
    }
    if (!o.only.empty() && !asked) {  // --only: the others stay as they are, graded or not
      summary.reused += fs::exists(result_file);
      continue;
    }
    to_grade.push_back(&s);
    // The same submission and seed under another spec or grader: what that changes goes to score-changes.csv.
    if (recorded && recorded->submission_sha256 == s.key.submission_sha256 && recorded->seed == s.key.seed &&
        (recorded->spec_sha256 != s.key.spec_sha256 || recorded->grader_version != s.key.grader_version))
      if (auto old = recorded_score_and_findings(result_file)) before[s.files.id] = *old;
  }

  Progress progress(to_grade.size(), o.progress_bar);
  std::map<pid_t, const Student*> running;
  size_t next = 0;
  while (next < to_grade.size() || !running.empty()) {
    while (next < to_grade.size() && running.size() < std::max(1u, o.jobs)) {
      const Student* s = to_grade[next++];
      fflush(nullptr);
      const pid_t pid = fork();
      if (pid < 0) return errno_error("fork");
      if (pid == 0) grade_in_child(spec, o, *s);
      running[pid] = s;
    }
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      return errno_error("waitpid");
    }
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const Student& s = *it->second;
    running.erase(it);
    const fs::path result_file = o.out / "results" / (s.file_name + ".json");
    if (!(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {  // the grading died: that student's internal error
      const std::string why = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                                  : "exit status " + std::to_string(WEXITSTATUS(status));
      grading::Grade g = grading::not_graded(spec, grading::GradeStatus::InternalError, "the grading died (" + why + ")");
      g.submission = s.files.id;
      Student unkeyed = s;
      unkeyed.key.submission_sha256 = "not graded";  // an internal error is retried by the next run
      (void)write_result(o, unkeyed, g, {o.lang, false, spec.title}, 0);
    }
    std::ifstream in(result_file);
    const auto j = nlohmann::json::parse(in, nullptr, false);
    const bool internal = j.is_discarded() || j.value("status", "") == "internal-error";
    std::string what = internal ? "internal error" : j.value("status", "?") + " " + report::number(j.value("score", 0.0)) +
                                                         "/" + report::number(j.value("max_score", 0.0));
    summary.graded++;
    progress.done(s.files.id, what, internal);
  }

  if (o.shard.count > 1) return finish_shard(spec, o, students, std::move(manifest), std::move(summary), started);
  ClassInputs class_inputs{{}, class_export->layout == "canvas", std::move(before), {}};
  for (const auto& s : students) class_inputs.members.push_back({s.files.id, s.file_name});
  std::optional<TempTree> sources;
  if (o.similarity)
    if (auto tree = TempTree::make("sources")) {
      sources.emplace(std::move(*tree));
      class_inputs.sources = class_sources(spec, students, sources->path());
    }
  if (auto w = write_class_files(spec, o, class_inputs, summary); !w) return w.error();
  if (auto s = remove_tree(o.out / ".staging"); !s) summary.left_behind.push_back(s.error().message());
  summary.seconds = monotonic_seconds() - started;
  return summary;
}

}  // namespace shm::batch
