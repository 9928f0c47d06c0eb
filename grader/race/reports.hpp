// The race detectors' reports, as Races at the student's file:line: xrace's (one JSON object per race, sites
// as offsets in the race build) and ThreadSanitizer's (its text reports, for races between threads).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "race.hpp"

namespace shm::race {

// XRACE_REPORT's lines: races and lock misuse, each site resolved through the DWARF of the program that made
// it (PROGRAMS: each program's name in the run, as its executable is called, to its race build).
struct XraceReport {
  std::vector<Race> races;
  std::vector<LockMisuse> lock_misuse;
  std::vector<DetectorLimit> limits;  // capacities the run reached
};
XraceReport read_xrace_report(const std::filesystem::path& report,
                              const std::map<std::string, std::filesystem::path>& programs);

// XRACE_PROVIDED's value for a run of PROGRAMS (name to race build) whose helper files PROVIDED (as the spec
// names them) were given to students: where each program's code from them lies, ascending and merged where
// ranges touch. "" when there is none.
std::string xrace_provided(const std::map<std::string, std::filesystem::path>& programs,
                           const std::vector<std::string>& provided);

// ThreadSanitizer's "WARNING: ThreadSanitizer: data race" reports in TEXT. Each access is placed at its
// first stack frame in the submission (file names under SOURCE_ROOT, or relative) outside the PROVIDED helper
// files (the helper's frame then its `via`; only helper frames: the first of them); a report with no such frame
// on either side lies wholly in system libraries and is dropped.
std::vector<Race> parse_tsan_reports(const std::string& text, const std::string& source_root = "/work",
                                     const std::vector<std::string>& provided = {});

// The races in WORKDIR's ThreadSanitizer logs (log_path=/work/.tsan writes .tsan.PID).
std::vector<Race> read_tsan_logs(const std::filesystem::path& workdir, const std::vector<std::string>& provided = {});

}  // namespace shm::race
