// Grades -> Gradebook -> Class report: the class-wide files of a results dir (gradebook.csv, canvas.csv,
// score-changes.csv, similarity.*, report.html), made from results/ID.json alone, so that a one-machine
// batch and a merge of shards write the same files from the same results.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "batch.hpp"
#include "score_changes.hpp"
#include "similarity.hpp"

namespace shm::batch {

struct ClassInputs {
  std::vector<ClassMember> members;                 // everyone in the export, sorted by id
  bool canvas_layout = false;                       // canvas.csv even without a roster
  std::map<std::string, ScoreAndFindings> before;   // by id: results another spec or grader version made
  std::vector<StudentSources> sources;              // for --similarity
};

// Annotates each result with the roster and late policy of O (rewriting it when that changes it), then
// writes the class's files into O.out; counts what it saw into SUMMARY. An error is a file not written.
Status write_class_files(const spec::AssignmentSpec& spec, const BatchOptions& o, const ClassInputs& in,
                         BatchSummary& summary);

}  // namespace shm::batch
