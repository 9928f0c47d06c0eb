#include "class_files.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "class_report.hpp"
#include "files.hpp"
#include "gradebook.hpp"
#include "text.hpp"

namespace shm::batch {

namespace fs = std::filesystem;

namespace {

// What the class adds to a student's result: the roster's name and LMS ids, and the late penalty under the
// policy of this run.
template <typename Json>
void annotate(Json& j, const BatchOptions& o) {
  auto& b = j["batch"];
  const std::string id = b["id"];
  if (o.roster)
    if (auto it = o.roster->find(id); it != o.roster->end()) {
      const RosterEntry& e = it->second;
      for (auto [key, value] : {std::pair{"name", &e.name}, {"email", &e.email}, {"canvas_id", &e.canvas_id},
                                {"sis_user_id", &e.sis_user_id}, {"sis_login_id", &e.sis_login_id}, {"section", &e.section}})
        if (!value->empty()) b[key] = *value;
    }
  Lateness late;
  if (o.late && b.contains("submitted_at")) late = lateness(*o.late, id, b["submitted_at"].template get<int64_t>());
  b["late_by_s"] = late.late_by_s;
  b["late_penalty_percent"] = late.penalty_percent;
  const double score = j.value("score", 0.0);
  b["score_after_late"] = score_after_late(score, late.penalty_percent);
}

// --similarity: Dolos over the class, written to similarity.csv and similarity.json. A failure is reported in
// SUMMARY; the grades stand.
std::optional<Similarity> class_similarity(const spec::AssignmentSpec& spec, const BatchOptions& o,
                                           const std::vector<StudentSources>& sources, BatchSummary& summary) {
  auto similarity = find_similar(spec, o.assignment_dir, sources);
  Status written = similarity ? write_file_atomically(o.out / "similarity.csv", similarity_csv(*similarity)) : similarity.error();
  if (written) written = write_file_atomically(o.out / "similarity.json", json_text(to_json(*similarity), 2) + "\n");
  if (!written) {
    summary.similarity_error = written.error().message();
    return std::nullopt;
  }
  summary.similar_pairs = similarity->pairs.size();
  summary.similarity_warnings = similarity->warnings;
  return std::move(*similarity);
}

// A row of the gradebook with no result file: STATUS "missing" (on the roster, nothing in the export) or
// "not-graded" (left out by --only, never graded before).
nlohmann::json row_without_result(const spec::AssignmentSpec& spec, const std::string& id, const char* status) {
  return {{"status", status}, {"score", 0}, {"max_score", spec.max_score()}, {"tests", nlohmann::json::array()},
          {"findings", nlohmann::json::array()}, {"batch", {{"id", id}}}};
}

}  // namespace

Status write_class_files(const spec::AssignmentSpec& spec, const BatchOptions& o, const ClassInputs& in,
                         BatchSummary& summary) {
  std::vector<nlohmann::json> results;
  for (const auto& s : in.members) {
    const fs::path file = o.out / "results" / (s.file_name + ".json");
    if (!fs::exists(file) && !o.only.empty()) {
      results.push_back(row_without_result(spec, s.id, "not-graded"));
      annotate(results.back(), o);
      continue;
    }
    std::ifstream in(file);
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(in, nullptr, false);
    if (j.is_discarded()) return Error{file.string() + ": not a whole result"};
    const nlohmann::ordered_json recorded = j["batch"];
    j["batch"]["file_name"] = s.file_name;  // feedback/FILE_NAME.md, for the class report's links
    annotate(j, o);
    if (j["batch"] != recorded)
      if (auto w = write_file_atomically(file, json_text(j, 2) + "\n"); !w) return w;
    summary.internal_errors += j["status"] == "internal-error";
    summary.full_marks += j["status"] == "graded" && j["batch"]["score_after_late"] == j["max_score"];
    summary.late += j["batch"]["late_penalty_percent"].get<double>() > 0;
    if (o.roster && !o.roster->count(s.id)) summary.not_on_roster.push_back(s.id);
    results.push_back(nlohmann::json::parse(j.dump()));
  }
  if (o.roster)
    for (const auto& [id, entry] : *o.roster) {
      const bool submitted = std::any_of(in.members.begin(), in.members.end(), [&](const ClassMember& s) { return s.id == id; });
      if (submitted) continue;
      summary.missing.push_back(id);
      results.push_back(row_without_result(spec, id, "missing"));
      annotate(results.back(), o);
    }
  if (auto w = write_file_atomically(o.out / "gradebook.csv", gradebook_csv(spec, results)); !w) return w;
  if (!in.before.empty()) {
    std::map<std::string, ScoreAndFindings> after;
    for (const auto& r : results) after[r["batch"]["id"]] = score_and_findings(r);
    const std::string changes = score_changes_csv(in.before, after, summary.score_changes);
    if (auto w = write_file_atomically(o.out / "score-changes.csv", changes); !w) return w;
  }
  const auto similarity = o.similarity ? class_similarity(spec, o, in.sources, summary) : std::nullopt;
  const std::string report = class_report_html(spec, results, similarity ? &*similarity : nullptr);
  if (auto w = write_file_atomically(o.out / "report.html", report); !w) return w;
  if (o.roster || in.canvas_layout)
    if (auto w = write_file_atomically(o.out / "canvas.csv", canvas_csv(spec, results)); !w) return w;
  return ok();
}

}  // namespace shm::batch
