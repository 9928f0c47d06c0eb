#include "report.hpp"
#include "text.hpp"

namespace shm::report {

std::string message_of(const findings::Finding& f, const Options& options) {
  const catalogue::FindingKind* kind = catalogue::find_kind(f.id);
  return kind ? catalogue::render(*kind, f.detail, options.lang) : f.id;
}

std::string hint_of(const findings::Finding& f, const Options& options) {
  if (f.detail.count("hint")) return catalogue::fill("{hint}", f.detail, options.lang);  // the assignment's own
  const catalogue::FindingKind* kind = catalogue::find_kind(f.id);
  return kind ? catalogue::fill(kind->hint.in(options.lang), f.detail, options.lang) : "";  // may name values too
}

const std::string& name_of(const grading::TestResult& t, const Options& options) {
  return options.lang == catalogue::Lang::Zh && !t.name_zh.empty() ? t.name_zh : t.name;
}

std::string test_name_of(const grading::Grade& g, const std::string& test, const Options& options) {
  for (const auto& t : g.tests)
    if (t.name == test) return name_of(t, options);
  return test;
}

const std::string& rule_of(const grading::TestResult& t, const Options& options) {
  return options.lang == catalogue::Lang::Zh && !t.rule_zh.empty() ? t.rule_zh : t.rule;
}

std::string number(double v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string where_of(const findings::Finding& f) {
  if (f.file.empty()) return "";
  return f.line ? f.file + ":" + std::to_string(f.line) : f.file;
}

std::vector<const findings::Finding*> findings_of_test(const grading::Grade& grade, const std::string& test) {
  std::vector<const findings::Finding*> mine;
  for (const auto& f : grade.findings)
    if (f.test == test) mine.push_back(&f);
  return mine;
}

nlohmann::ordered_json to_json(const grading::Grade& g, const Options& options) {
  nlohmann::ordered_json tests = nlohmann::ordered_json::array();
  for (const auto& t : g.tests)
    tests.push_back({{"name", t.name}, {"score", t.score}, {"max_score", t.max_score},
                     {"status", engine::test_status_name(t.status)}, {"output", t.output}, {"hidden", t.hidden},
                     {"rule", t.rule}, {"rule_zh", t.rule_zh}, {"name_zh", t.name_zh},
                     {"race_decided", t.race_decided}});
  nlohmann::ordered_json found = nlohmann::ordered_json::array();
  for (const auto& f : g.findings) {
    nlohmann::ordered_json j = {{"id", f.id},
                                {"severity", catalogue::severity_name(f.severity)},
                                {"message", message_of(f, options)},
                                {"hint", hint_of(f, options)},
                                {"file", f.file.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.file)},
                                {"line", f.line ? nlohmann::ordered_json(f.line) : nlohmann::ordered_json(nullptr)},
                                {"test", f.test.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.test)},
                                {"points", f.points},
                                {"schedule_dependent", f.schedule_dependent},
                                {"explain", "shmgrade explain " + f.id}};
    found.push_back(j);
  }
  nlohmann::ordered_json j = {{"schema", "shmgrade-result/1"},
                              {"assignment", g.assignment},
                              {"submission", g.submission},
                              {"status", grading::grade_status_name(g.status)},
                              {"score", g.score},
                              {"max_score", g.max_score},
                              {"tests", tests},
                              {"findings", found},
                              {"seed", g.seed},
                              {"elapsed_s", g.elapsed_s}};
  if (!g.message.empty()) j["message"] = g.message;
  return j;
}

std::string as_json(const grading::Grade& g, const Options& o) { return json_text(to_json(g, o), 2) + "\n"; }

}  // namespace shm::report
