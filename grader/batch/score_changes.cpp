#include "score_changes.hpp"

#include <algorithm>
#include <iterator>

#include "gradebook.hpp"
#include "report/report.hpp"

namespace shm::batch {

ScoreAndFindings score_and_findings(const nlohmann::json& result) {
  ScoreAndFindings s;
  s.score = result.value("score", 0.0);
  for (const auto& id : finding_ids(result)) s.findings.insert(id);
  return s;
}

namespace {
std::string joined(const std::vector<std::string>& ids) {
  std::string text;
  for (const auto& id : ids) text += (text.empty() ? "" : " ") + id;
  return text;
}
}  // namespace

std::string score_changes_csv(const std::map<std::string, ScoreAndFindings>& before,
                              const std::map<std::string, ScoreAndFindings>& after, size_t& changed) {
  std::string csv = "id,old_score,new_score,findings_added,findings_removed\n";
  changed = 0;
  for (const auto& [id, old] : before) {
    auto now = after.find(id);
    if (now == after.end()) continue;
    std::vector<std::string> added, removed;
    std::set_difference(now->second.findings.begin(), now->second.findings.end(), old.findings.begin(),
                        old.findings.end(), std::back_inserter(added));
    std::set_difference(old.findings.begin(), old.findings.end(), now->second.findings.begin(),
                        now->second.findings.end(), std::back_inserter(removed));
    if (old.score == now->second.score && added.empty() && removed.empty()) continue;
    changed++;
    csv += csv_cell(id) + "," + report::number(old.score) + "," + report::number(now->second.score) + "," +
           csv_cell(joined(added)) + "," + csv_cell(joined(removed)) + "\n";
  }
  return csv;
}

}  // namespace shm::batch
