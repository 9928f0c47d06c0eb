#include "gradebook.hpp"

#include <algorithm>

#include "report/report.hpp"

namespace shm::batch {

// Numbers are never neutralised: "-1" is a number, not a formula.
using report::number;

std::string csv_cell(const std::string& text) {
  std::string cell = text;
  if (!cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' || cell[0] == '\t' ||
                        cell[0] == '\r'))
    cell.insert(0, "'");
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string quoted = "\"";
  for (char c : cell) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::vector<std::string> finding_ids(const nlohmann::json& result) {
  std::vector<std::string> ids;
  for (const auto& f : result.value("findings", nlohmann::json::array()))
    if (std::find(ids.begin(), ids.end(), f.value("id", "")) == ids.end()) ids.push_back(f.value("id", ""));
  return ids;
}

namespace {
std::string row(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); i++) line += (i ? "," : "") + cells[i];
  return line + "\n";
}
}  // namespace

std::string gradebook_csv(const spec::AssignmentSpec& spec, std::vector<nlohmann::json> results) {
  std::sort(results.begin(), results.end(), [](const auto& a, const auto& b) {
    return a["batch"]["id"].template get<std::string>() < b["batch"]["id"].template get<std::string>();
  });
  const std::string max = number(spec.max_score());
  std::vector<std::string> header = {"id", "name", "score", "score_before_late", "late_penalty_percent", "max_score",
                                     "status", "submitted"};
  std::vector<std::string> possible = {"Points Possible", "", max, max, "", max, "", ""};
  for (const auto& t : spec.tests) {
    header.push_back(csv_cell(t.name));
    possible.push_back(number(t.points));
  }
  header.push_back("findings");
  possible.push_back("");
  std::string csv = row(header) + row(possible);
  for (const auto& r : results) {
    const auto& b = r["batch"];
    std::vector<std::string> cells = {csv_cell(b["id"].get<std::string>()), csv_cell(b.value("name", "")),
                                      number(b.value("score_after_late", r["score"].get<double>())),
                                      number(r["score"].get<double>()), number(b.value("late_penalty_percent", 0.0)),
                                      number(r["max_score"].get<double>()), csv_cell(r["status"].get<std::string>()),
                                      csv_cell(b.value("submitted", ""))};
    for (const auto& t : spec.tests) {
      std::string score;
      for (const auto& rt : r["tests"])
        if (rt["name"] == t.name) score = number(rt["score"].get<double>());
      cells.push_back(score);
    }
    std::string joined;
    for (const auto& id : finding_ids(r)) joined += (joined.empty() ? "" : " ") + id;
    cells.push_back(csv_cell(joined));
    csv += row(cells);
  }
  return csv;
}

std::string canvas_csv(const spec::AssignmentSpec& spec, const std::vector<nlohmann::json>& results) {
  std::string csv = row({"Student", "ID", "SIS User ID", "SIS Login ID", "Section", csv_cell(spec.title)});
  csv += row({"    Points Possible", "", "", "", "", number(spec.max_score())});
  std::vector<const nlohmann::json*> sorted;
  for (const auto& r : results) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
    return std::make_pair((*a)["batch"].value("name", ""), (*a)["batch"]["id"].template get<std::string>()) <
           std::make_pair((*b)["batch"].value("name", ""), (*b)["batch"]["id"].template get<std::string>());
  });
  for (const auto* r : sorted) {
    const auto& b = (*r)["batch"];
    csv += row({csv_cell(b.value("name", "")), csv_cell(b.value("canvas_id", b["id"].get<std::string>())),
                csv_cell(b.value("sis_user_id", "")), csv_cell(b.value("sis_login_id", "")),
                csv_cell(b.value("section", "")), number(b.value("score_after_late", (*r)["score"].get<double>()))});
  }
  return csv;
}

}  // namespace shm::batch
