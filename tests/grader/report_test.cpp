// The report writers on a hand-made Grade: JUnit parsed back, SARIF's required fields, Gradescope's fields
// and types, GitHub's escaping and stop-commands, the text in Chinese, and the catalogue's completeness.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "catalogue/catalogue.hpp"
#include "report/report.hpp"

namespace rp = shm::report;
namespace en = shm::engine;
namespace fd = shm::findings;
namespace gr = shm::grading;
namespace ct = shm::catalogue;

namespace {

// A program's hostile output, as a failed test quotes it.
const std::string kHostile = "printed \"::error file=x::pwned\\n::add-mask::x\", expected \"4\\n\" <&> ]]>";

gr::Grade sample_grade() {
  gr::Grade g;
  g.assignment = "counter";
  g.submission = "student/sub";
  g.status = gr::GradeStatus::Graded;
  g.score = 3;
  g.max_score = 11;
  g.seed = 7;
  g.tests = {{"one process", en::TestStatus::Passed, 2, 2, "", false},
             {"four processes", en::TestStatus::Failed, 0, 4, kHostile, false},
             {"secret", en::TestStatus::Crashed, 0, 5, "crashed: killed by SIGBUS", true}};
  fd::Finding f;
  f.id = "missing-ftruncate";
  f.detail = {{"path", "/work/count.bin"}, {"size", "0"}, {"length", "4"}};
  f.file = "counter.c";
  f.line = 19;
  f.test = "four processes";
  f.points = 5;
  fd::Finding w;
  w.id = "missing-msync";
  w.severity = ct::Severity::Warning;
  w.detail = {{"path", "a,b:c%d\ne"}};
  w.file = "dir/util.c";
  w.line = 3;
  w.test = "one process";
  g.findings = {f, w};
  return g;
}

// A small XML reader: elements balanced, attributes quoted, only the five entities, no stray '<' or '&'.
// Returns each element's name with its attributes and text, in document order.
struct XmlElement {
  std::string name, text;
  std::map<std::string, std::string> attributes;
};
std::vector<XmlElement> parse_xml(const std::string& doc) {
  std::vector<XmlElement> elements;
  std::vector<size_t> open;
  auto decode = [](std::string s) {
    static const std::regex entity("&(amp|lt|gt|quot|apos);|&");
    std::string out;
    std::sregex_iterator it(s.begin(), s.end(), entity), end;
    size_t at = 0;
    for (; it != end; ++it) {
      REQUIRE((*it)[1].matched);  // a bare '&' is not XML
      out += s.substr(at, size_t(it->position()) - at);
      const std::string name = (*it)[1];
      out += name == "amp" ? "&" : name == "lt" ? "<" : name == "gt" ? ">" : name == "quot" ? "\"" : "'";
      at = size_t(it->position() + it->length());
    }
    return out + s.substr(at);
  };
  size_t pos = doc.find("?>");
  REQUIRE(doc.rfind("<?xml", 0) == 0);
  pos += 2;
  while (pos < doc.size()) {
    size_t lt = doc.find('<', pos);
    const std::string text = doc.substr(pos, (lt == std::string::npos ? doc.size() : lt) - pos);
    if (!open.empty()) elements[open.back()].text += decode(text);
    else REQUIRE(text.find_first_not_of(" \n") == std::string::npos);
    if (lt == std::string::npos) break;
    size_t gt = doc.find('>', lt);
    REQUIRE(gt != std::string::npos);
    std::string tag = doc.substr(lt + 1, gt - lt - 1);
    pos = gt + 1;
    if (tag[0] == '/') {
      REQUIRE(!open.empty());
      CHECK(elements[open.back()].name == tag.substr(1));
      open.pop_back();
      continue;
    }
    const bool empty = tag.back() == '/';
    if (empty) tag.pop_back();
    static const std::regex head(R"(^([A-Za-z_][\w.-]*))"), attribute(R"re(\s+([A-Za-z_][\w.-]*)="([^"<]*)")re");
    std::smatch m;
    REQUIRE(std::regex_search(tag, m, head));
    XmlElement e{m[1], "", {}};
    std::string rest = m.suffix();
    while (std::regex_search(rest, m, attribute) && m.position() == 0) {
      e.attributes[m[1]] = decode(m[2]);
      rest = m.suffix();
    }
    REQUIRE(rest.find_first_not_of(" ") == std::string::npos);
    elements.push_back(e);
    if (!empty) open.push_back(elements.size() - 1);
  }
  CHECK(open.empty());
  return elements;
}

}  // namespace

TEST_CASE("report: JUnit parses back, one testcase per test, findings in the failure body", "[report]") {
  const auto elements = parse_xml(rp::to_junit(sample_grade(), {}));
  std::vector<XmlElement> cases, failures;
  for (const auto& e : elements) {
    if (e.name == "testcase") cases.push_back(e);
    if (e.name == "failure") failures.push_back(e);
  }
  REQUIRE(cases.size() == 3);
  CHECK(cases[1].attributes.at("name") == "four processes");
  REQUIRE(failures.size() == 2);
  CHECK(failures[0].attributes.at("message") == kHostile);  // escaped on the way out, intact on the way in
  CHECK_THAT(failures[0].text, Catch::Contains("counter.c:19: error [missing-ftruncate]") && Catch::Contains("hint: "));
  CHECK(elements[0].name == "testsuites");
  CHECK(elements[0].attributes.at("failures") == "2");
}

TEST_CASE("report: SARIF 2.1.0 with its required fields, a rule per finding id and relative URIs", "[report]") {
  auto j = nlohmann::json::parse(rp::to_sarif(sample_grade(), {}));
  CHECK(j["version"] == "2.1.0");
  CHECK(j["$schema"].get<std::string>().find("sarif") != std::string::npos);
  REQUIRE(j["runs"].size() == 1);
  const auto& run = j["runs"][0];
  CHECK(run["tool"]["driver"]["name"] == "shmgrade");
  std::set<std::string> rule_ids;
  for (const auto& r : run["tool"]["driver"]["rules"]) {
    rule_ids.insert(r["id"].get<std::string>());
    CHECK(r["help"]["text"].is_string());
    CHECK(r["shortDescription"]["text"].is_string());
  }
  CHECK(rule_ids.size() == ct::kinds().size() + 2);  // and the two verdicts with no finding: rejected, internal-error
  CHECK(rule_ids.count("rejected") == 1);
  REQUIRE(run["results"].size() == 2);
  for (const auto& r : run["results"]) {
    CHECK(rule_ids.count(r["ruleId"].get<std::string>()) == 1);
    CHECK(run["tool"]["driver"]["rules"][r["ruleIndex"].get<size_t>()]["id"] == r["ruleId"]);
    CHECK(r["message"]["text"].is_string());
    const auto& loc = r["locations"][0]["physicalLocation"];
    const std::string uri = loc["artifactLocation"]["uri"];
    CHECK(uri.front() != '/');
    CHECK(loc["region"]["startLine"].get<int>() >= 1);
  }
  CHECK(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "student/sub/counter.c");
  CHECK(run["results"][1]["level"] == "warning");
}

TEST_CASE("report: Gradescope results.json fields and types, hidden tests hidden, the total as score", "[report]") {
  auto j = nlohmann::json::parse(rp::to_gradescope(sample_grade(), {}));
  CHECK(j["score"] == 3);  // findings' deductions are in the total, which overrides the tests' sum
  std::set<std::string> visibilities = {"hidden", "after_due_date", "after_published", "visible"};
  REQUIRE(j["tests"].size() == 3 + 2);
  for (const auto& t : j["tests"]) {
    CHECK(t["name"].is_string());
    CHECK(t["score"].is_number());
    CHECK(t["max_score"].is_number());
    CHECK((t["status"] == "passed" || t["status"] == "failed"));
    CHECK(t["output"].is_string());
    CHECK(visibilities.count(t["visibility"].get<std::string>()) == 1);
  }
  CHECK(j["tests"][2]["visibility"] == "hidden");
  CHECK(j["tests"][3]["name"] == "error: missing-ftruncate at counter.c:19");
}

TEST_CASE("report: GitHub commands escape their data and fence the program's output with a random token", "[report]") {
  const std::string out = rp::to_github(sample_grade(), {});
  std::smatch m;
  REQUIRE(std::regex_search(out, m, std::regex("::stop-commands::(shmgrade-[0-9a-f]{32})\n")));
  const std::string token = m[1];
  const size_t fence_start = out.find("::stop-commands::"), fence_end = out.find("::" + token + "::");
  REQUIRE(fence_end != std::string::npos);
  CHECK(out.find("pwned") > fence_start);
  CHECK(out.find("pwned") < fence_end);  // only inside the fence, where it cannot act
  CHECK(rp::to_github(sample_grade(), {}).find(token) == std::string::npos);  // a new token every time
  CHECK_THAT(out, Catch::Contains("::error file=student/sub/counter.c,line=19,title=missing-ftruncate%3A mapped file never sized::"));
  CHECK_THAT(out, Catch::Contains("::warning file=student/sub/dir/util.c,line=3,"));
  CHECK_THAT(out, Catch::Contains("a,b:c%25d%0Ae is mapped"));  // data: % and newline escaped
  for (size_t at = 0; (at = out.find('\n', at)) != std::string::npos && at + 1 < out.size(); at++)
    if (at + 2 < out.size() && out.compare(at + 1, 2, "::") == 0 && at > fence_end)
      CHECK(out.find("pwned", at) == std::string::npos);
  const std::string summary = rp::github_step_summary(sample_grade(), {});
  CHECK_THAT(summary, Catch::Contains("| four processes | failed | 0/4 |") && Catch::Contains("&lt;&amp;&gt;"));
  CHECK_THAT(summary, !Catch::Contains("killed by SIGBUS"));  // a hidden test's output stays hidden
}

TEST_CASE("report: text in Chinese, hidden tests without their output", "[report]") {
  const std::string zh = rp::to_text(sample_grade(), {ct::Lang::Zh, false, "共享计数器"});
  CHECK_THAT(zh, Catch::Contains("发现的问题") && Catch::Contains("只有 0 字节") && Catch::Contains("得分：3 / 11"));
  CHECK_THAT(zh, Catch::Contains("（隐藏测试）") && !Catch::Contains("killed by SIGBUS"));
  const std::string en_text = rp::to_text(sample_grade(), {});
  CHECK_THAT(en_text, Catch::Contains("counter.c:19: error [missing-ftruncate] /work/count.bin is 0 bytes long") &&
                          Catch::Contains("(seed 7)"));
}

TEST_CASE("report: text names tests in the reader's language and does not say a failed test's wrong output twice",
          "[report]") {
  gr::Grade g = sample_grade();
  g.tests[1].name_zh = "四个进程";
  fd::Finding wrong;
  wrong.id = "wrong-output";
  wrong.detail = {{"detail", kHostile}};
  wrong.test = "four processes";
  g.findings.push_back(wrong);
  const std::string en_text = rp::to_text(g, {});
  CHECK_THAT(en_text, Catch::Contains("FAIL  four processes  0/4"));
  CHECK_THAT(en_text, Catch::Contains("error [wrong-output] see the test's output above (test \"four processes\")"));
  CHECK(en_text.find(kHostile) == en_text.rfind(kHostile));  // once: in the test
  const std::string zh = rp::to_text(g, {ct::Lang::Zh, false, ""});
  CHECK_THAT(zh, Catch::Contains("失败  四个进程  0/4") && Catch::Contains("（测试 “四个进程”"));
  CHECK_THAT(zh, Catch::Contains("通过  one process"));  // no Chinese name given: the English one
  g.tests[1].status = en::TestStatus::Passed;  // a finding whose test is not shown failing keeps its message
  CHECK_THAT(rp::to_text(g, {}), Catch::Contains("error [wrong-output] " + kHostile));
}

TEST_CASE("catalogue: every kind has both languages, no placeholder left unfilled, and an explain page", "[report]") {
  std::set<std::string> ids;
  for (const auto& k : ct::kinds()) {
    INFO(k.id);
    CHECK(ids.insert(k.id).second);
    for (const ct::Text* t : {&k.title, &k.message, &k.hint, &k.topic, &k.explain}) {
      CHECK(std::string(t->en).size() > 2);
      const std::string zh = t->zh;
      CHECK(std::any_of(zh.begin(), zh.end(), [](char c) { return (unsigned char)c >= 0x80; }));  // Chinese text
    }
    // The same placeholders in both languages.
    auto names = [](const std::string& s) {
      std::set<std::string> out;
      static const std::regex p(R"(\{(\w+)\})");
      for (std::sregex_iterator it(s.begin(), s.end(), p), end; it != end; ++it) out.insert((*it)[1]);
      return out;
    };
    CHECK(names(k.message.en) == names(k.message.zh));
    const std::string wrong = k.wrong, first_line = wrong.substr(0, wrong.find('\n'));
    CHECK_THAT(ct::explain_page(k, ct::Lang::Zh), Catch::Contains("错误写法") && Catch::Contains("    " + first_line));
  }
  for (const char* required : {"map-failed-unchecked", "missing-ftruncate", "beyond-eof", "unaligned-offset", "munmap-misuse",
                               "private-mapping", "mode-mismatch", "sync-not-shared", "mutex-not-pshared", "ipc-leak",
                               "unwaited-children", "missing-msync", "data-race", "crash", "timeout", "resource-limit",
                               "sandbox-violation", "compile-error", "wrong-output"})
    CHECK(ids.count(required) == 1);
  CHECK(ct::fill("{a} and {b}", {{"a", "x"}, {"b", "y"}, {"b_zh", "乙"}}, ct::Lang::Zh) == "x and 乙");
}
