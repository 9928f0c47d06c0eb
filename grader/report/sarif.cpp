// SARIF 2.1.0: one rule per finding id of the catalogue (with its help text), one result per finding at its
// file:line, URIs relative to the source root (paths.cpp) under SRCROOT, which originalUriBaseIds gives as an
// absolute file: URI. Every result has a location, as GitHub's code scanning requires: a finding with no line of
// its own is placed at the submission's main source, a submission with none at its folder.
#include <cctype>
#include <cstring>

#include "report.hpp"
#include "text.hpp"

namespace shm::report {

namespace {
const char* level(catalogue::Severity s) {
  return s == catalogue::Severity::Error ? "error" : s == catalogue::Severity::Warning ? "warning" : "note";
}

// A path as a URI reference: unreserved characters and '/' as they are, every other byte percent-encoded.
std::string uri_escaped(const std::string& path) {
  static const char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (isalnum(c) || strchr("-._~/", c)) out += char(c);
    else out += std::string("%") + hex[c >> 4] + hex[c & 15];
  }
  return out;
}

// FILE's artifactLocation under SRCROOT; "" is the submission's folder, a URI ending in '/'.
nlohmann::ordered_json artifact(const grading::Grade& g, const std::string& file, const Options& o) {
  std::string uri = ci_path(g, file, o);
  if (file.empty()) uri = uri == "." ? "./" : uri + "/";
  return {{"uri", uri_escaped(uri)}, {"uriBaseId", "SRCROOT"}};
}

}  // namespace

std::string to_sarif(const grading::Grade& g, const Options& o) {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  const auto& kinds = catalogue::kinds();
  for (const auto& k : kinds) {
    const std::string help = std::string(k.explain.in(o.lang)) + "\n\n" + k.hint.in(o.lang);
    rules.push_back({{"id", k.id},  // no "name": SARIF wants it to differ from the id, and the id reads well
                     {"shortDescription", {{"text", k.title.in(o.lang)}}},
                     {"fullDescription", {{"text", k.explain.in(o.lang)}}},
                     {"help", {{"text", help}, {"markdown", help + "\n\nWrong:\n```c\n" + k.wrong + "\n```\nRight:\n```c\n" + k.right + "\n```"}}},
                     {"defaultConfiguration", {{"level", level(k.severity)}}},
                     {"properties", {{"tags", {"shared-memory", k.topic.en}}}}});
  }
  // A submission that was not graded has no finding, yet must not look clean: one result says why, under a rule
  // of its own after the catalogue's.
  const size_t not_graded_index = rules.size();
  for (auto [id, text] : {std::pair{"rejected", "The submission was not graded: it has no sources, or sources shmgrade refuses "
                                                "(links, devices, files too large). The message says which."},
                          {"internal-error", "shmgrade failed while grading; the submission is not at fault. Grade it again."}})
    rules.push_back({{"id", id},
                     {"shortDescription", {{"text", std::string(text).substr(0, std::string(text).find('.') + 1)}}},
                     {"fullDescription", {{"text", text}}},
                     {"help", {{"text", text}}},
                     {"defaultConfiguration", {{"level", "error"}}}});
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  if (g.status == grading::GradeStatus::Rejected || g.status == grading::GradeStatus::InternalError) {
    const bool rejected = g.status == grading::GradeStatus::Rejected;
    results.push_back(
        {{"ruleId", rejected ? "rejected" : "internal-error"}, {"ruleIndex", not_graded_index + (rejected ? 0 : 1)},
         {"level", "error"}, {"message", {{"text", std::string(grading::grade_status_name(g.status)) + ": " + g.message}}},
         {"locations", {{{"physicalLocation", {{"artifactLocation", artifact(g, "", o)}}}}}},
         {"partialFingerprints", {{"shmgrade/v1", verdict_fingerprint(g)}}}});
  }
  const std::vector<std::string> prints = fingerprints(g, o);
  for (size_t i = 0; i < g.findings.size(); i++) {
    const findings::Finding& f = g.findings[i];
    size_t index = 0;
    while (index < kinds.size() && f.id != kinds[index].id) index++;
    nlohmann::ordered_json r = {{"ruleId", f.id}, {"ruleIndex", index}, {"level", level(f.severity)},
                                {"message", {{"text", message_of(f, o) + (f.test.empty() ? "" : " (test: " + f.test + ")")}}}};
    const std::string file = located_file(g, f);
    nlohmann::ordered_json physical = {{"artifactLocation", artifact(g, file, o)}};
    if (f.line > 0 && file == f.file) physical["region"] = {{"startLine", f.line}};
    r["locations"] = nlohmann::ordered_json::array({{{"physicalLocation", physical}}});
    r["partialFingerprints"] = {{"shmgrade/v1", prints[i]}};
    r["properties"] = {{"points", f.points}};
    results.push_back(r);
  }
  nlohmann::ordered_json run = {
      {"tool", {{"driver", {{"name", "shmgrade"}, {"informationUri", "https://github.com/shmgrade/shmgrade"},
                            {"semanticVersion", SHMGRADE_VERSION}, {"rules", rules}}}}},
      {"originalUriBaseIds", {{"SRCROOT", {{"uri", "file://" + uri_escaped(source_root(g, o).generic_string() + "/")}}}}},
      {"results", results},
      {"properties", {{"assignment", g.assignment}, {"score", g.score}, {"max_score", g.max_score},
                      {"status", grading::grade_status_name(g.status)}, {"seed", g.seed}}}};
  nlohmann::ordered_json j = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"},
                              {"runs", nlohmann::ordered_json::array({run})}};
  return json_text(j, 2) + "\n";
}

}  // namespace shm::report
