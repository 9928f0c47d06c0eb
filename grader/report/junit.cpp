// JUnit XML: one testcase per test, the test's findings in its failure body (GitLab shows the body, not the
// message attribute), and one more testcase for findings that cost points but belong to no failed test. A
// submission that was not graded is a failing "build" testcase (an error for an internal error) with the reason
// in its body, so no pipeline reads it as green. Testcases carry file (and line, where a finding has one),
// relative to the source root as the other CI formats' paths are (paths.cpp).
#include <sstream>

#include "report.hpp"

namespace shm::report {

namespace {

std::string finding_line(const findings::Finding& f, const Options& o) {
  const std::string where = where_of(f);
  return (where.empty() ? "" : where + ": ") + catalogue::severity_name(f.severity) + " [" + f.id + "] " + message_of(f, o) +
         "\n  hint: " + hint_of(f, o) + "\n";
}

// The opening tag of a testcase named NAME, placed at FINDINGS' first line when one has a line.
std::string testcase(const grading::Grade& g, const std::string& name, const std::vector<const findings::Finding*>& found,
                     const Options& o) {
  std::string file = g.main_source;
  int line = 0;
  for (const auto* f : found)
    if (f->line > 0 && !f->file.empty()) {
      file = f->file, line = f->line;
      break;
    }
  std::string tag = "    <testcase classname=\"" + xml_text(g.assignment) + "\" name=\"" + xml_text(name) + "\"";
  if (!file.empty()) tag += " file=\"" + xml_text(ci_path(g, file, o)) + "\"";
  if (line > 0) tag += " line=\"" + std::to_string(line) + "\"";
  return tag + ">\n";
}

std::vector<const findings::Finding*> all_of(const std::vector<findings::Finding>& findings) {
  std::vector<const findings::Finding*> all;
  for (const auto& f : findings) all.push_back(&f);
  return all;
}

}  // namespace

std::string to_junit(const grading::Grade& g, const Options& o) {
  std::ostringstream cases;
  int failures = 0, errors = 0, skipped = 0, count = 0;
  if (g.status != grading::GradeStatus::Graded) {
    const bool error = g.status == grading::GradeStatus::InternalError;
    const char* element = error ? "error" : "failure";
    std::string body = std::string(grading::grade_status_name(g.status)) + ": " + g.message + "\n";
    for (const auto& f : g.findings) body += finding_line(f, o);
    count++;
    (error ? errors : failures)++;
    cases << testcase(g, "build", all_of(g.findings), o) << "      <" << element << " type=\""
          << grading::grade_status_name(g.status) << "\" message=\"" << xml_text(g.message.substr(0, g.message.find('\n')))
          << "\">" << xml_text(body) << "</" << element << ">\n    </testcase>\n";
  }
  for (const auto& t : g.tests) {
    count++;
    cases << testcase(g, t.name, findings_of_test(g, t.name), o);
    if (t.status == engine::TestStatus::Skipped) {
      skipped++;
      cases << "      <skipped message=\"" << xml_text(t.output) << "\"/>\n";
    } else if (t.status != engine::TestStatus::Passed) {
      failures++;
      std::string body = t.output + "\n";
      for (const auto* f : findings_of_test(g, t.name)) body += finding_line(*f, o);
      cases << "      <failure type=\"" << engine::test_status_name(t.status) << "\" message=\"" << xml_text(t.output) << "\">"
            << xml_text(body) << "</failure>\n";
    }
    cases << "    </testcase>\n";
  }
  std::string loose;  // findings that cost points where the test itself passed, or no test at all
  std::vector<const findings::Finding*> loose_findings;
  for (const auto& f : g.findings) {
    if (g.status != grading::GradeStatus::Graded) break;  // in the build testcase
    bool in_failed_test = false;
    for (const auto& t : g.tests) in_failed_test |= t.name == f.test && t.status != engine::TestStatus::Passed;
    if (!in_failed_test && (f.points > 0 || f.severity == catalogue::Severity::Error))
      loose += finding_line(f, o), loose_findings.push_back(&f);
  }
  if (!loose.empty()) {
    count++;
    failures++;
    cases << testcase(g, "pitfall findings", loose_findings, o)
          << "      <failure type=\"findings\" message=\"pitfalls found\">" << xml_text(loose) << "</failure>\n    </testcase>\n";
  }
  std::ostringstream s;
  s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<testsuites name=\"shmgrade\" tests=\"" << count << "\" failures=\"" << failures << "\" errors=\"" << errors << "\" time=\"" << g.elapsed_s << "\">\n"
    << "  <testsuite name=\"" << xml_text(g.assignment) << "\" tests=\"" << count << "\" failures=\"" << failures
    << "\" errors=\"" << errors << "\" skipped=\"" << skipped << "\" time=\"" << g.elapsed_s << "\">\n"
    << "    <properties>\n      <property name=\"score\" value=\"" << g.score << "\"/>\n"
    << "      <property name=\"max_score\" value=\"" << g.max_score << "\"/>\n"
    << "      <property name=\"status\" value=\"" << grading::grade_status_name(g.status) << "\"/>\n"
    << "      <property name=\"seed\" value=\"" << g.seed << "\"/>\n    </properties>\n"
    << cases.str() << "  </testsuite>\n</testsuites>\n";
  return s.str();
}

}  // namespace shm::report
