// The class as the export holds it: who submitted what. Layouts (detected, or named with --layout):
//   folders  one folder or archive per student, named by the student's id;
//   canvas   Canvas's "download submissions": files lastfirst_[LATE_]userid_subid_name;
//   moodle   Moodle's "download all submissions": Full Name_ID_assignsubmission_file_name (a file or a folder);
//   gradescope  Gradescope's "Export Submissions": submission_metadata.yml beside submission_<id>/ folders;
//   classroom   GitHub Classroom's clones: PREFIX-USERNAME/ folders, each a git clone (.git is left out).
// INPUT is a folder, or one archive of any of these (an LMS download), unpacked first.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "result.hpp"

namespace shm::batch {

struct StudentFiles {
  std::string id;                        // the student's stable id, as the export names them
  std::vector<std::filesystem::path> paths;  // a folder, an archive, or loose files (Canvas, Moodle)
  bool marked_late = false;              // the export says so (Canvas's LATE_)
  std::string name;                      // when the export names the student (Gradescope)
  int64_t submitted_at = 0;              // when the export says it was submitted (0: the newest file's time)
};

struct ClassExport {
  std::string layout;
  std::vector<StudentFiles> students;  // sorted by id
  std::vector<std::string> ignored;    // top-level entries that name no student, for the log
};

extern const char* const kLayouts[];  // "auto", "folders", "canvas", "moodle"; null-terminated

// The students of the export in FOLDER (an archive has been unpacked by the caller).
Result<ClassExport> read_class_export(const std::filesystem::path& folder, const std::string& layout = "auto");

// gradescope_export.cpp
Result<ClassExport> read_gradescope_export(const std::filesystem::path& folder);
// classroom_export.cpp: every entry a clone, their names sharing PREFIX ("counter-"), which is set.
bool looks_like_classroom(const std::vector<std::filesystem::directory_entry>& entries, std::string& prefix);
Result<ClassExport> read_classroom_export(const std::vector<std::filesystem::directory_entry>& entries,
                                          const std::string& prefix);

// Puts a student's files into DIR, which must not exist: a folder is copied, archives are unpacked (in the
// sandbox), loose files are copied under the name the student gave them. An error names the file and why.
Status collect_submission(const StudentFiles& student, const std::filesystem::path& dir);

// The newest modification time (seconds since the epoch) of the regular files under DIR; 0 when none.
int64_t newest_file_time(const std::filesystem::path& dir);

// Gradescope's times, "2026-11-20 23:59:00.123456789 -08:00" (Ruby's Time#to_s, in its export's YAML) or ISO
// 8601 "2026-11-20T23:59:00.123-08:00" (submission_metadata.json): seconds since the epoch; 0 when unreadable.
int64_t parse_created_at(const std::string& text);

// A name for ID that is safe as a file name (results/ID.json): other characters become '_'.
std::string file_safe(const std::string& id);

}  // namespace shm::batch
