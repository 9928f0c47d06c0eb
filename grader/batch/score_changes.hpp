// score-changes.csv: when the spec or the grader changed since DIR's results were made, what that did to each
// student's result (the same submission and seed): the old and new score, the findings added and removed.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace shm::batch {

struct ScoreAndFindings {
  double score = 0;
  std::set<std::string> findings;  // their ids
};
ScoreAndFindings score_and_findings(const nlohmann::json& result);

// id, old_score, new_score, findings_added, findings_removed: one row per student whose score or findings
// changed, sorted by id. CHANGED counts them.
std::string score_changes_csv(const std::map<std::string, ScoreAndFindings>& before,
                              const std::map<std::string, ScoreAndFindings>& after, size_t& changed);

}  // namespace shm::batch
