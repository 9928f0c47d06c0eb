#include "authoring.hpp"

#include <algorithm>
#include <sstream>

#include "files.hpp"
#include "grading/score.hpp"
#include "report/report.hpp"
#include "spec/assignment_spec.hpp"

namespace shm::authoring {

namespace fs = std::filesystem;

namespace {

// The text at PATH, empty when it cannot be read (the callers then report what is missing or malformed).
std::string read_text(const fs::path& path) {
  auto text = read_whole_file(path);
  return text ? std::move(*text) : std::string();
}

std::vector<fs::path> subfolders(const fs::path& dir) {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_directory(ec)) found.push_back(entry.path());
  std::sort(found.begin(), found.end());
  return found;
}

nlohmann::json graded_json(const spec::AssignmentSpec& spec, const fs::path& submission, const grading::GradeOptions& options) {
  grading::Grade g = grading::grade(spec, submission, options);
  grading::make_showable(g);
  return nlohmann::json::parse(report::to_json(g, {catalogue::Lang::En, false, spec.title}).dump());
}

std::string score_text(const nlohmann::json& result) {
  return report::number(result.value("score", 0.0)) + " / " + report::number(result.value("max_score", 0.0));
}

std::string finding_ids(const nlohmann::json& result) {
  std::string ids;
  for (const auto& f : result["findings"]) ids += (ids.empty() ? "" : ", ") + f.value("id", std::string("?"));
  return ids.empty() ? "none" : ids;
}

}  // namespace

std::vector<std::string> expectation_mismatches(const nlohmann::json& expected, const nlohmann::json& result) {
  std::vector<std::string> out;
  if (result.value("status", "") != "graded") out.push_back("status " + result.value("status", std::string("?")) + ", not graded");
  if (expected.contains("score")) {
    const auto& score = expected["score"];
    const double got = result.value("score", 0.0), max = result.value("max_score", 0.0);
    const bool score_ok = score == "full" ? got == max : score == "less" ? got < max : score.is_number() && got == score.get<double>();
    if (!score_ok) out.push_back("score " + score_text(result) + ", expected " + (score.is_string() ? score.get<std::string>() : score.dump()));
  }
  for (const auto& want : expected.value("findings", nlohmann::json::array())) {
    const bool found = std::any_of(result["findings"].begin(), result["findings"].end(), [&](const nlohmann::json& f) {
      return f["id"] == want["id"] && (!want.contains("file") || f["file"] == want["file"]) &&
             (!want.contains("line") || f["line"] == want["line"]);
    });
    if (!found) out.push_back("finding " + want.dump() + " missing (found: " + finding_ids(result) + ")");
  }
  for (const auto& id : expected.value("absent", nlohmann::json::array()))
    for (const auto& f : result["findings"])
      if (f["id"] == id) out.push_back("finding " + id.get<std::string>() + " present, expected absent");
  if (expected.contains("absent_severity"))
    for (const auto& f : result["findings"])
      if (f["severity"] == expected["absent_severity"])
        out.push_back("finding " + f.value("id", std::string("?")) + " is an " + f.value("severity", std::string("?")) +
                      ", expected none");
  return out;
}

// Every test states its rule in English and Chinese (`rule`, `rule_zh`), and the handout says both: no test may
// check a rule its handout does not state. Its name has a Chinese form too (`name_zh`), for --lang zh.
static std::vector<Mismatch> rules_in_handout(const spec::AssignmentSpec& spec) {
  std::vector<Mismatch> out;
  const fs::path toml = spec.dir / "assignment.toml", handout = spec.dir / "README.md";
  const std::string text = read_text(handout);
  for (const auto& t : spec.tests) {
    if (t.name_zh.empty()) out.push_back({toml, "test '" + t.name + "' has no name_zh: give its name in Chinese"});
    for (const auto& [key, rule] : {std::pair<std::string, const std::string&>{"rule", t.rule}, {"rule_zh", t.rule_zh}}) {
      if (rule.empty()) out.push_back({toml, "test '" + t.name + "' has no " + key + ": say the rule it checks"});
      else if (text.find(rule) == std::string::npos)
        out.push_back({handout, "does not state test '" + t.name + "''s " + key + ": \"" + rule + "\""});
    }
  }
  return out;
}

Result<Verification> verify(const fs::path& dir, const grading::GradeOptions& options,
                            const std::function<void(const std::string&)>& progress) {
  auto spec = spec::load_assignment(dir);
  if (!spec) return spec.error();
  Verification v;
  auto told = [&](const fs::path& what) {
    if (progress) progress(fs::relative(what, dir).string());
  };
  v.mismatches = rules_in_handout(*spec);
  for (const auto& sample : subfolders(dir / "samples")) {
    told(sample);
    const fs::path file = sample / "expected.json";
    const auto expected = nlohmann::json::parse(read_text(file), nullptr, false);
    if (!fs::exists(file) || expected.is_discarded() || !expected.is_object()) {
      v.mismatches.push_back({file, fs::exists(file) ? "not a JSON object" : "missing: every sample says what it must score"});
      continue;
    }
    for (auto& what : expectation_mismatches(expected, graded_json(*spec, sample, options))) v.mismatches.push_back({file, what});
    v.samples++;
  }
  if (v.samples == 0) v.mismatches.push_back({dir / "samples", "no samples: add a correct one and one per pitfall"});
  if (fs::is_directory(dir / "starter")) {
    told(dir / "starter");
    const auto result = graded_json(*spec, dir / "starter", options);
    v.starter = true;
    if (result.value("status", "") != "graded")
      v.mismatches.push_back({dir / "starter", "does not build and run (" + result.value("status", std::string("?")) + ")"});
    else if (result["score"] >= result["max_score"])
      v.mismatches.push_back({dir / "starter", "scores full marks: the starter must leave the work to the student"});
  } else {
    v.mismatches.push_back({dir / "starter", "missing: what students start from"});
  }
  if (fs::is_directory(dir / "solution")) {
    told(dir / "solution");
    v.solution = true;
    for (auto& what : expectation_mismatches({{"score", "full"}, {"absent_severity", "error"}}, graded_json(*spec, dir / "solution", options)))
      v.mismatches.push_back({dir / "solution", what});
  }
  return v;
}

Result<fs::path> scaffold(const std::string& name, const fs::path& from, const fs::path& parent) {
  if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") != std::string::npos)
    return Error{"an assignment's name is lower-case letters, digits, '-' and '_': " + name};
  auto spec = spec::load_assignment(from);
  if (!spec) return spec.error();
  const fs::path dir = parent / name;
  std::error_code ec;
  if (fs::exists(dir, ec)) return Error{dir.string() + " already exists"};
  fs::create_directories(dir / "samples", ec);
  if (ec) return Error{"mkdir " + dir.string() + ": " + ec.message()};
  // The spec as it is (it verifies as it is), titled after the new assignment.
  std::istringstream toml(read_text(from / "assignment.toml"));
  std::string line, text;
  while (std::getline(toml, line))
    text += (line.rfind("title = ", 0) == 0 ? "title = \"" + name + " (from " + spec->name + "): TODO\"" : line) + "\n";
  if (auto w = write_file_atomically(dir / "assignment.toml", text); !w) return w.error();
  fs::copy(from / "starter", dir / "starter", fs::copy_options::recursive, ec);
  if (ec) return Error{"copy " + (from / "starter").string() + ": " + ec.message()};
  for (const auto& sample : subfolders(from / "samples")) {
    const auto expected = nlohmann::json::parse(read_text(sample / "expected.json"), nullptr, false);
    if (expected.is_discarded() || expected.value("score", nlohmann::json()) != "full") continue;
    fs::copy(sample, dir / "samples" / sample.filename(), fs::copy_options::recursive, ec);
    if (!fs::exists(dir / "solution")) fs::copy(sample, dir / "solution", fs::copy_options::recursive, ec);
    fs::remove(dir / "solution/expected.json", ec);
  }
  // The tests' rules, from the spec: the handout states every rule a test checks (verify checks it does).
  std::string rules_en, rules_zh;
  for (const auto& t : spec->tests) {
    rules_en += "- " + t.name + ": " + t.rule + "\n";
    rules_zh += "- " + (t.name_zh.empty() ? t.name : t.name_zh) + "：" + t.rule_zh + "\n";
  }
  const std::string handout = "# " + name +
                              "\n\nTODO (English): what the program does, its arguments, what it prints, its exit statuses.\n\n"
                              "### What is checked\n\n" + rules_en +
                              "\n## 中文\n\nTODO（中文）：程序做什么、它的参数、输出和退出状态。\n\n### 检查内容\n\n" + rules_zh;
  if (auto w = write_file_atomically(dir / "README.md", handout); !w) return w.error();
  return dir;
}

}  // namespace shm::authoring
