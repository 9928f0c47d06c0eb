// JUnit XML: one testcase per test, the test's findings in its failure body (GitLab shows the body, not the
// message attribute), and one more testcase for findings that cost points but belong to no failed test.
#include <sstream>

#include "report.hpp"

namespace shm::report {

namespace {

std::string finding_line(const engine::Finding& f, const Options& o) {
  const std::string where = where_of(f);
  return (where.empty() ? "" : where + ": ") + findings::severity_name(f.severity) + " [" + f.id + "] " + message_of(f, o) +
         "\n  hint: " + hint_of(f, o) + "\n";
}

}  // namespace

std::string to_junit(const engine::Grade& g, const Options& o) {
  std::ostringstream cases;
  int failures = 0, skipped = 0, count = 0;
  for (const auto& t : g.tests) {
    count++;
    cases << "    <testcase classname=\"" << xml_text(g.assignment) << "\" name=\"" << xml_text(t.name) << "\">\n";
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
  for (const auto& f : g.findings) {
    bool in_failed_test = false;
    for (const auto& t : g.tests) in_failed_test |= t.name == f.test && t.status != engine::TestStatus::Passed;
    if (!in_failed_test && (f.points > 0 || f.severity == findings::Severity::Error)) loose += finding_line(f, o);
  }
  if (!loose.empty()) {
    count++;
    failures++;
    cases << "    <testcase classname=\"" << xml_text(g.assignment) << "\" name=\"pitfall findings\">\n"
          << "      <failure type=\"findings\" message=\"pitfalls found\">" << xml_text(loose) << "</failure>\n    </testcase>\n";
  }
  std::ostringstream s;
  s << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    << "<testsuites name=\"shmgrade\" tests=\"" << count << "\" failures=\"" << failures << "\" time=\"" << g.elapsed_s << "\">\n"
    << "  <testsuite name=\"" << xml_text(g.assignment) << "\" tests=\"" << count << "\" failures=\"" << failures
    << "\" errors=\"0\" skipped=\"" << skipped << "\" time=\"" << g.elapsed_s << "\">\n"
    << "    <properties>\n      <property name=\"score\" value=\"" << g.score << "\"/>\n"
    << "      <property name=\"max_score\" value=\"" << g.max_score << "\"/>\n"
    << "      <property name=\"status\" value=\"" << engine::grade_status_name(g.status) << "\"/>\n"
    << "      <property name=\"seed\" value=\"" << g.seed << "\"/>\n    </properties>\n"
    << cases.str() << "  </testsuite>\n</testsuites>\n";
  return s.str();
}

}  // namespace shm::report
