// GitLab Code Quality (a subset of Code Climate's issue format that merge requests show inline): one entry per
// finding at its file and line (paths.cpp places it), with a fingerprint stable across gradings so GitLab can
// tell new findings from fixed ones. A submission that was not graded (rejected, an internal error) has no
// finding; one entry at its folder says why, so a merge request never shows it clean.
#include "report.hpp"
#include "text.hpp"

namespace shm::report {

namespace {

// GitLab's scale is info, minor, major, critical, blocker: what costs points is major.
const char* severity(catalogue::Severity s) {
  return s == catalogue::Severity::Error ? "major" : s == catalogue::Severity::Warning ? "minor" : "info";
}

nlohmann::ordered_json entry(const std::string& description, const std::string& check, const std::string& fingerprint,
                             const char* severity, const std::string& path, int line) {
  return {{"description", description},
          {"check_name", check},
          {"fingerprint", fingerprint},
          {"severity", severity},
          {"location", {{"path", path}, {"lines", {{"begin", std::max(line, 1)}}}}}};
}

}  // namespace

std::string to_codequality(const grading::Grade& g, const Options& o) {
  nlohmann::ordered_json issues = nlohmann::ordered_json::array();
  const std::vector<std::string> prints = fingerprints(g, o);
  for (size_t i = 0; i < g.findings.size(); i++) {
    const findings::Finding& f = g.findings[i];
    const std::string file = located_file(g, f);
    const std::string description = message_of(f, o) + (f.test.empty() ? "" : " (test: " + f.test + ")") +
                                    (f.points > 0 ? " [-" + number(f.points) + "]" : "");
    issues.push_back(entry(description, f.id, prints[i], severity(f.severity), ci_path(g, file, o), file == f.file ? f.line : 1));
  }
  if (g.status == grading::GradeStatus::Rejected || g.status == grading::GradeStatus::InternalError) {
    const std::string status = grading::grade_status_name(g.status);
    issues.push_back(entry(status + ": " + g.message, status, verdict_fingerprint(g), "blocker", ci_path(g, "", o), 1));
  }
  return json_text(issues, 2) + "\n";
}

}  // namespace shm::report
