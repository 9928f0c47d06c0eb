// SARIF 2.1.0: one rule per finding id of the catalogue (with its help text), one result per finding at its
// file:line, URIs relative to the checkout (the submission's path joined with the file) under %SRCROOT%.
#include <filesystem>

#include "report.hpp"
#include "text.hpp"

namespace shm::report {

namespace {
const char* level(findings::Severity s) {
  return s == findings::Severity::Error ? "error" : s == findings::Severity::Warning ? "warning" : "note";
}
}  // namespace

std::string to_sarif(const engine::Grade& g, const Options& o) {
  nlohmann::ordered_json rules = nlohmann::ordered_json::array();
  const auto& kinds = findings::catalogue();
  for (const auto& k : kinds) {
    const std::string help = std::string(k.explain.in(o.lang)) + "\n\n" + k.hint.in(o.lang);
    rules.push_back({{"id", k.id},
                     {"name", k.id},
                     {"shortDescription", {{"text", k.title.in(o.lang)}}},
                     {"fullDescription", {{"text", k.explain.in(o.lang)}}},
                     {"help", {{"text", help}, {"markdown", help + "\n\nWrong:\n```c\n" + k.wrong + "\n```\nRight:\n```c\n" + k.right + "\n```"}}},
                     {"defaultConfiguration", {{"level", level(k.severity)}}},
                     {"properties", {{"tags", {"shared-memory", k.topic.en}}}}});
  }
  const std::filesystem::path base = std::filesystem::path(g.submission);
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const auto& f : g.findings) {
    size_t index = 0;
    while (index < kinds.size() && f.id != kinds[index].id) index++;
    nlohmann::ordered_json r = {{"ruleId", f.id}, {"ruleIndex", index}, {"level", level(f.severity)},
                                {"message", {{"text", message_of(f, o) + (f.test.empty() ? "" : " (test: " + f.test + ")")}}}};
    if (!f.file.empty()) {
      std::filesystem::path uri = (base.is_relative() ? base / f.file : std::filesystem::path(f.file)).lexically_normal();
      nlohmann::ordered_json physical = {{"artifactLocation", {{"uri", uri.generic_string()}, {"uriBaseId", "%SRCROOT%"}}}};
      if (f.line > 0) physical["region"] = {{"startLine", f.line}};
      r["locations"] = nlohmann::ordered_json::array({{{"physicalLocation", physical}}});
    }
    r["properties"] = {{"points", f.points}};
    results.push_back(r);
  }
  nlohmann::ordered_json run = {
      {"tool", {{"driver", {{"name", "shmgrade"}, {"informationUri", "https://github.com/shmgrade/shmgrade"},
                            {"semanticVersion", SHMGRADE_VERSION}, {"rules", rules}}}}},
      {"results", results},
      {"properties", {{"assignment", g.assignment}, {"score", g.score}, {"max_score", g.max_score},
                      {"status", engine::grade_status_name(g.status)}, {"seed", g.seed}}}};
  nlohmann::ordered_json j = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"}, {"version", "2.1.0"},
                              {"runs", nlohmann::ordered_json::array({run})}};
  return json_text(j, 2) + "\n";
}

}  // namespace shm::report
