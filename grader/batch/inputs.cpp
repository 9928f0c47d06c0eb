#include "inputs.hpp"

#include <algorithm>
#include <map>
#include <regex>

#include <sys/stat.h>

#include "unpack.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

const char* const kLayouts[] = {"auto", "folders", "canvas", "moodle", "gradescope", "classroom", nullptr};

namespace {

// lastfirst_[LATE_]userid_subid_name (Canvas) and Full Name_ID_assignsubmission_file_name (Moodle).
const std::regex kCanvas(R"(^([a-z0-9-]+)_(LATE_)?(\d+)_(\d+)_(.+)$)");
const std::regex kMoodle(R"(^(.+?)_(\d+)_assignsubmission_(?:file|onlinetext)_(.*)$)");

struct Named {
  std::string id;
  bool late = false;
  std::string file_name;  // what the student called it
};

bool parse_name(const std::string& layout, const std::string& name, Named& out) {
  std::smatch m;
  if (layout == "canvas" && std::regex_match(name, m, kCanvas)) {
    out = {m[3], m[2].matched, m[5]};
    return true;
  }
  if (layout == "moodle" && std::regex_match(name, m, kMoodle)) {
    out = {m[2], false, m[3]};
    return true;
  }
  return false;
}

std::vector<fs::directory_entry> entries_of(const fs::path& folder) {
  std::vector<fs::directory_entry> entries;
  for (const auto& e : fs::directory_iterator(folder))
    if (e.path().filename().string()[0] != '.') entries.push_back(e);
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::string detect_layout(const std::vector<fs::directory_entry>& entries) {
  size_t canvas = 0, moodle = 0;
  for (const auto& e : entries) {
    Named n;
    canvas += parse_name("canvas", e.path().filename().string(), n);
    moodle += parse_name("moodle", e.path().filename().string(), n);
  }
  if (canvas > 0 && canvas * 2 >= entries.size()) return "canvas";
  if (moodle > 0 && moodle * 2 >= entries.size()) return "moodle";
  return "folders";
}

}  // namespace

int64_t newest_file_time(const fs::path& dir) {
  int64_t newest = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    struct stat st;
    if (lstat(it->path().c_str(), &st) == 0 && S_ISREG(st.st_mode)) newest = std::max<int64_t>(newest, st.st_mtime);
  }
  return newest;
}

std::string file_safe(const std::string& id) {
  std::string safe;
  for (unsigned char c : id) safe += std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '@' ? char(c) : '_';
  if (safe.empty() || safe[0] == '.') safe.insert(0, "_");
  return safe.substr(0, 120);
}

Result<ClassExport> read_class_export(const fs::path& folder, const std::string& layout) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return Error{folder.string() + ": not a folder or an archive"};
  if (layout == "gradescope" || (layout == "auto" && fs::exists(folder / "submission_metadata.yml", ec)))
    return read_gradescope_export(folder);
  ClassExport out;
  std::vector<fs::directory_entry> entries;
  try {
    entries = entries_of(folder);
  } catch (const fs::filesystem_error& e) {
    return Error{folder.string() + ": " + e.code().message()};
  }
  std::string prefix;
  if ((layout == "auto" || layout == "classroom") && looks_like_classroom(entries, prefix))
    return read_classroom_export(entries, prefix);
  if (layout == "classroom") return Error{folder.string() + ": not GitHub Classroom clones (PREFIX-USERNAME/ folders, each with .git)"};
  out.layout = layout == "auto" ? detect_layout(entries) : layout;
  std::map<std::string, StudentFiles> by_id;
  for (const auto& e : entries) {
    const std::string name = e.path().filename().string();
    const bool is_dir = e.is_directory(ec) && !e.is_symlink(ec);
    Named n;
    if (out.layout == "folders") {
      if (e.is_symlink(ec) || (!is_dir && !(e.is_regular_file(ec) && is_archive_name(e.path())))) {
        out.ignored.push_back(name + " (neither a folder nor an archive)");
        continue;
      }
      std::string id = name;
      if (!is_dir) id = is_archive_name(name) ? name.substr(0, name.find('.')) : name;
      n = {id, false, name};
    } else if (!parse_name(out.layout, name, n) || e.is_symlink(ec)) {
      out.ignored.push_back(name + " (not named as " + out.layout + " names a submission)");
      continue;
    }
    StudentFiles& s = by_id[n.id];
    s.id = n.id;
    s.paths.push_back(e.path());
    s.marked_late |= n.late;
  }
  for (auto& [id, s] : by_id) out.students.push_back(std::move(s));
  return out;
}

Status collect_submission(const StudentFiles& student, const fs::path& dir) {
  std::error_code ec;
  if (student.paths.size() == 1 && is_archive_name(student.paths[0]) && fs::is_regular_file(student.paths[0], ec))
    return unpack_archive(student.paths[0], dir);
  if (!fs::create_directories(dir, ec) && ec) return Error{dir.string() + ": " + ec.message()};
  for (const auto& path : student.paths) {
    std::string name = path.filename().string();
    Named n;
    if (parse_name("canvas", name, n) || parse_name("moodle", name, n)) name = n.file_name;
    if (name.empty()) name = "submission";
    if (fs::is_directory(path, ec)) {
      // Copied by the grader later with copy-in's checks; here only what is needed: no links followed, and
      // each file's time kept (the submission time is the newest one's).
      const fs::path to = dir / (student.paths.size() == 1 ? "" : name);
      fs::create_directories(to, ec);
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.path().filename() == ".git") continue;  // a clone's history: not the submission
        fs::copy(entry.path(), to / entry.path().filename(), fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
        if (ec) break;
      }
      if (ec) return Error{path.string() + ": " + ec.message()};
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec))
        if (it.depth() == 0 && it->path().filename() == ".git") it.disable_recursion_pending();
        else if (it->is_regular_file(ec) && !it->is_symlink(ec))
          fs::last_write_time(to / it->path().lexically_relative(path), it->last_write_time(ec), ec);
    } else if (is_archive_name(name)) {
      if (auto s = unpack_archive(path, dir / (".unpacked-" + file_safe(name))); !s) return s;
      fs::path unpacked = dir / (".unpacked-" + file_safe(name));
      for (const auto& inner : fs::directory_iterator(unpacked)) fs::rename(inner.path(), dir / inner.path().filename(), ec);
      fs::remove_all(unpacked, ec);
    } else {
      fs::copy_file(path, dir / file_safe(name), fs::copy_options::overwrite_existing, ec);
      if (!ec) fs::last_write_time(dir / file_safe(name), fs::last_write_time(path, ec), ec);
      if (ec) return Error{path.string() + ": " + ec.message()};
    }
  }
  return ok();
}

}  // namespace shm::batch
