// shmgrade batch: a whole class in one command. Export -> each student's files -> (ledger: reuse or grade,
// several at a time, each grading in a child process of its own) -> results/ID.json and feedback/ID.md ->
// gradebook.csv. A student's failure of any kind is that student's result; the batch goes on.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "grading/grade.hpp"
#include "catalogue/catalogue.hpp"
#include "late.hpp"
#include "result.hpp"
#include "roster.hpp"
#include "shard.hpp"

namespace shm::batch {

struct BatchOptions {
  std::filesystem::path assignment_dir, input, out;
  std::string layout = "auto";
  unsigned jobs = 2;               // students graded at once
  unsigned test_jobs = 2;          // each student's tests run side by side (most wait: time limits, sleeps)
  std::vector<std::string> only;  // regrade these ids (the others are reused when their key matches)
  bool force = false;              // ignore the ledger
  std::vector<std::string> formats;  // report formats (other than json) written to feedback/ID.EXT as well
  bool similarity = false;         // Dolos over the class: similarity.csv, similarity.json, the report's pairs
  uint64_t seed = 1;
  catalogue::Lang lang = catalogue::Lang::En;
  bool progress_bar = false;  // a terminal: one bar redrawn; else one line per student
  std::optional<Roster> roster;     // names and LMS ids; who should have submitted
  std::optional<LatePolicy> late;   // what lateness costs
  std::string roster_path, late_path;  // where they came from, for a shard's manifest (merge reads them again)
  Shard shard;                         // grade only this shard's students (0/1: the whole class)
  std::vector<std::string> command;    // this run's command line, for the rerun a merge prints
};

struct BatchSummary {
  size_t students = 0, graded = 0, reused = 0, full_marks = 0, internal_errors = 0;
  std::vector<std::string> ignored;  // export entries that name no student
  std::vector<std::string> missing;        // on the roster, nothing in the export
  std::vector<std::string> not_on_roster;  // in the export, not on the roster
  size_t late = 0;                         // penalised for lateness
  size_t score_changes = 0;                // results another spec or grader version changed
  std::vector<std::string> left_behind;
  size_t similar_pairs = 0;           // listed in similarity.csv
  std::vector<std::string> similarity_warnings;
  std::string similarity_error;       // --similarity could not be computed (the grades stand)
  double seconds = 0;
};

Result<BatchSummary> run_batch(const spec::AssignmentSpec& spec, const BatchOptions& options);

}  // namespace shm::batch
