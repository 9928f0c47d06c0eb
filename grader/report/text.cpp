// What `check` prints (and `grade --format text`): each test passed or failed and why, each finding at its
// file:line with a hint and its explain id, the score and the seed.
#include <sstream>

#include "report.hpp"

namespace shm::report {

std::string to_text(const grading::Grade& g, const Options& o) {
  const bool zh = o.lang == catalogue::Lang::Zh;
  auto paint = [&](const char* code, const std::string& s) { return o.colour ? "\033[" + std::string(code) + "m" + s + "\033[0m" : s; };
  std::ostringstream s;
  s << g.assignment << (o.title.empty() ? "" : " — " + o.title) << "\n";
  if (g.status != grading::GradeStatus::Graded)
    s << paint("1;31", grading::grade_status_name(g.status)) << ":\n" << g.message << (g.message.ends_with("\n") ? "" : "\n");
  for (const auto& t : g.tests) {
    const bool pass = t.status == engine::TestStatus::Passed;
    s << "  " << (pass ? paint("32", "PASS") : t.status == engine::TestStatus::Skipped ? paint("33", "SKIP") : paint("31", "FAIL"))
      << "  " << (t.hidden ? (zh ? "（隐藏测试）" : "(hidden test)") : t.name) << "  " << number(t.score) << "/"
      << number(t.max_score) << "\n";
    if (!pass && !t.output.empty() && !t.hidden) s << "        " << t.output << "\n";
  }
  if (!g.findings.empty()) s << (zh ? "发现的问题：\n" : "findings:\n");
  for (const auto& f : g.findings) {
    const std::string where = where_of(f);
    const char* colour = f.severity == catalogue::Severity::Error ? "1;31" : f.severity == catalogue::Severity::Warning ? "1;33" : "1;36";
    s << "  " << (where.empty() ? "" : where + ": ") << paint(colour, catalogue::severity_name(f.severity)) << " [" << f.id
      << "] " << message_of(f, o);
    if (!f.test.empty()) s << (zh ? "（测试 “" : " (test \"") << f.test << (zh ? "”" : "\"");
    if (f.points > 0) s << (zh ? "，扣 " : ", -") << number(f.points) << (zh ? " 分" : " points");
    if (!f.test.empty()) s << (zh ? "）" : ")");
    s << "\n      " << (zh ? "提示：" : "hint: ") << hint_of(f, o) << "\n      " << (zh ? "详见：" : "more: ")
      << "shmgrade explain " << f.id << (zh ? " --lang zh" : "") << "\n";
  }
  s << (zh ? "得分：" : "score: ") << number(g.score) << " / " << number(g.max_score) << "   (seed " << g.seed << ")\n";
  return s.str();
}

}  // namespace shm::report
