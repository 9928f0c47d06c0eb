// What `check` prints (and `grade --format text`): each test passed or failed and why, each finding at its
// file:line with a hint and its explain id, the score and the seed.
#include <sstream>
#include <utility>

#include "report.hpp"

namespace shm::report {

namespace {

// What costs the most points, for the line a student reads first: a finding (at its place) or a failed test.
std::string fix_first(const grading::Grade& g, bool zh) {
  double most = 0, race_decided = 0;  // the tests a race decided cost what the race costs
  for (const auto& t : g.tests)
    if (t.race_decided) race_decided += t.max_score;
  std::string what;
  for (const auto& f : g.findings)
    if (const double cost = f.points + (f.id == "data-race" ? std::exchange(race_decided, 0.0) : 0); cost > most) {
      most = cost;
      const std::string where = where_of(f);
      what = (where.empty() ? "" : where + " ") + f.id;
    }
  for (const auto& t : g.tests)
    if (t.max_score - t.score > most && t.status != engine::TestStatus::Passed && !t.race_decided) {
      most = t.max_score - t.score;
      what = t.hidden ? (zh ? "（隐藏测试）" : "(hidden test)") : (zh ? "测试 “" + (t.name_zh.empty() ? t.name : t.name_zh) + "”" : "test \"" + t.name + "\"");
    }
  if (what.empty()) return "";
  return (zh ? "先修正：" : "fix first: ") + what + (zh ? "（扣 " : " (-") + number(most) + (zh ? " 分）" : " points)");
}

// A wrong output whose failed test is shown above, with the same words: not said twice.
bool shown_by_test(const grading::Grade& g, const findings::Finding& f) {
  if (f.id != "wrong-output") return false;
  for (const auto& t : g.tests)
    if (t.name == f.test) return !t.hidden && t.status != engine::TestStatus::Passed && !t.output.empty();
  return false;
}

// TEXT with every line after the first indented by INDENT.
std::string indented(const std::string& text, const std::string& indent) {
  std::string out;
  for (char c : text) out += c == '\n' ? "\n" + indent : std::string(1, c);
  return out;
}

}  // namespace

std::string to_text(const grading::Grade& g, const Options& o) {
  const bool zh = o.lang == catalogue::Lang::Zh;
  auto paint = [&](const char* code, const std::string& s) { return o.colour ? "\033[" + std::string(code) + "m" + s + "\033[0m" : s; };
  std::ostringstream s;
  s << g.assignment << (o.title.empty() ? "" : " — " + o.title) << "\n";
  if (const std::string first = fix_first(g, zh); !first.empty() && g.status == grading::GradeStatus::Graded)
    s << paint("1", first) << "\n";
  if (g.status != grading::GradeStatus::Graded)
    s << paint("1;31", grading::grade_status_name(g.status)) << ":\n" << g.message << (g.message.ends_with("\n") ? "" : "\n");
  for (const auto& t : g.tests) {
    const bool pass = t.status == engine::TestStatus::Passed;
    const char* word = pass ? (zh ? "通过" : "PASS") : t.status == engine::TestStatus::Skipped ? (zh ? "跳过" : "SKIP") : (zh ? "失败" : "FAIL");
    s << "  " << paint(pass ? "32" : t.status == engine::TestStatus::Skipped ? "33" : "31", word)
      << "  " << (t.hidden ? (zh ? "（隐藏测试）" : "(hidden test)") : name_of(t, o)) << "  " << number(t.score) << "/"
      << number(t.max_score) << "\n";
    if (!pass && !t.hidden && !t.rule.empty()) s << "        " << (zh ? "规则：" : "rule: ") << rule_of(t, o) << "\n";
    if (!pass && !t.output.empty() && !t.hidden) s << "        " << indented(t.output, "        ") << "\n";
  }
  if (!g.findings.empty()) s << (zh ? "发现的问题：\n" : "findings:\n");
  for (const auto& f : g.findings) {
    const std::string where = where_of(f);
    const char* colour = f.severity == catalogue::Severity::Error ? "1;31" : f.severity == catalogue::Severity::Warning ? "1;33" : "1;36";
    s << "  " << (where.empty() ? "" : where + ": ") << paint(colour, catalogue::severity_name(f.severity)) << " [" << f.id
      << "] " << (shown_by_test(g, f) ? (zh ? "见上面该测试的输出" : "see the test's output above") : message_of(f, o));
    if (!f.test.empty()) s << (zh ? "（测试 “" : " (test \"") << test_name_of(g, f.test, o) << (zh ? "”" : "\"");
    if (f.points > 0) s << (zh ? "，扣 " : ", -") << number(f.points) << (zh ? " 分" : " points");
    if (!f.test.empty()) s << (zh ? "）" : ")");
    s << "\n      " << (zh ? "提示：" : "hint: ") << hint_of(f, o) << "\n      " << (zh ? "详见：" : "more: ")
      << "shmgrade explain " << f.id << (zh ? " --lang zh" : "") << "\n";
  }
  s << (zh ? "得分：" : "score: ") << number(g.score) << " / " << number(g.max_score) << "   (seed " << g.seed << ")\n";
  return s.str();
}

}  // namespace shm::report
