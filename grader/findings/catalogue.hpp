// The finding catalogue: one table of every finding id the grader can report, with its severity and the
// points it costs unless the assignment says otherwise. (Messages, hints and `explain` texts in English and
// Chinese join this table with the grading engine.)
#pragma once

#include <string>
#include <vector>

namespace shm::findings {

enum class Severity { Error, Warning, Info };

struct FindingKind {
  const char* id;
  Severity severity;
  double default_points;  // points deducted per test in which it appears
};

const std::vector<FindingKind>& catalogue();
const FindingKind* find_kind(const std::string& id);
const char* severity_name(Severity s);

}  // namespace shm::findings
