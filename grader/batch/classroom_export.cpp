// GitHub Classroom, as `gh classroom clone student-repos` leaves it: ASSIGNMENT-submissions/ holding one clone
// per student, ASSIGNMENT-USERNAME/. The student is USERNAME; the submission time is the last commit's, asked
// of git inside the sandbox (a student's .git/config can make git run programs: gpg.program, fsmonitor...).
#include <algorithm>
#include <map>

#include "files.hpp"
#include "inputs.hpp"
#include "sandbox.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

namespace {

// The committer time of HEAD in the clone DIR, seconds since the epoch; 0 when git cannot say.
int64_t last_commit_time(const fs::path& dir) {
  auto work = TempTree::make("git");
  if (!work) return 0;
  std::error_code ec;
  fs::copy(dir / ".git", work->path() / "repo.git", fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) return 0;
  sandbox::Request req;
  req.workdir = work->path().string();
  req.give_back_workdir = true;
  req.argv = {"git", "-c", "safe.directory=*", "--git-dir=/work/repo.git", "log", "-1", "--format=%ct"};
  req.env = {"GIT_CONFIG_NOSYSTEM=1"};
  req.limits = sandbox::Limits::defaults(sandbox::Profile::Compile);
  auto outcome = sandbox::run(req);
  if (!outcome || outcome->verdict != sandbox::Verdict::Ok) return 0;
  return std::strtoll(outcome->out.c_str(), nullptr, 10);
}

}  // namespace

bool looks_like_classroom(const std::vector<fs::directory_entry>& entries, std::string& prefix) {
  std::error_code ec;
  if (entries.empty()) return false;
  for (const auto& e : entries)
    if (!e.is_directory(ec) || e.is_symlink(ec) || !fs::exists(e.path() / ".git", ec)) return false;
  // The longest prefix all names share, up to its last '-': "counter-" of counter-alice, counter-bob.
  prefix = entries.front().path().filename().string();
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    prefix.resize(std::mismatch(prefix.begin(), prefix.end(), name.begin(), name.end()).first - prefix.begin());
  }
  const size_t dash = prefix.rfind('-');
  prefix = dash == std::string::npos ? "" : prefix.substr(0, dash + 1);
  return !prefix.empty();
}

Result<ClassExport> read_classroom_export(const std::vector<fs::directory_entry>& entries, const std::string& prefix) {
  ClassExport out;
  out.layout = "classroom";
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    const std::string id = name.size() > prefix.size() ? name.substr(prefix.size()) : name;
    out.students.push_back({id, {e.path()}, false, "", last_commit_time(e.path())});
  }
  std::sort(out.students.begin(), out.students.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

}  // namespace shm::batch
