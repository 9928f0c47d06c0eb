// GitHub Actions: workflow commands that annotate the student's lines (::error file=...,line=...::), with
// everything that came from the student's program (its output, quoted in a test's failure) inside a
// ::stop-commands:: block keyed by a random token, so the program cannot issue commands of its own; and a
// Markdown summary for $GITHUB_STEP_SUMMARY.
#include <fcntl.h>
#include <unistd.h>

#include <sstream>

#include "report.hpp"

namespace shm::report {

namespace {

// Workflow command escaping: data escapes % CR LF; property values also : and ,.
std::string escape_data(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '%' ? "%25" : c == '\r' ? "%0D" : c == '\n' ? "%0A" : std::string(1, c);
  return out;
}
std::string escape_property(const std::string& s) {
  std::string out;
  for (char c : escape_data(s)) out += c == ':' ? "%3A" : c == ',' ? "%2C" : std::string(1, c);
  return out;
}

// Unguessable by the program that produced the output: it never sees the token before the output is fixed.
std::string random_token() {
  unsigned char bytes[16] = {};
  int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    (void)!read(fd, bytes, sizeof bytes);
    close(fd);
  }
  static const char hex[] = "0123456789abcdef";
  std::string token = "shmgrade-";
  for (unsigned char b : bytes) token += std::string(1, hex[b >> 4]) + hex[b & 15];
  return token;
}

std::string html(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '&' ? "&amp;" : c == '|' ? "&#124;" : c == '\n' ? "<br>" : std::string(1, c);
  return out;
}

}  // namespace

std::string to_github(const grading::Grade& g, const Options& o) {
  std::ostringstream s;
  const std::string token = random_token();
  // Test results quote the program's output: no line of it may be read as a command.
  s << "::group::" << escape_data(g.assignment + ": " + number(g.score) + " / " + number(g.max_score)) << "\n";
  s << "::stop-commands::" << token << "\n";
  for (const auto& t : g.tests)
    s << engine::test_status_name(t.status) << "  " << t.name << "  " << number(t.score) << "/" << number(t.max_score)
      << (t.output.empty() || t.hidden ? "" : "  " + t.output) << "\n";
  if (!g.message.empty()) s << g.message << "\n";
  s << "::" << token << "::\n::endgroup::\n";
  for (const auto& f : g.findings) {
    const char* command = f.severity == catalogue::Severity::Error ? "error" : f.severity == catalogue::Severity::Warning ? "warning" : "notice";
    s << "::" << command << " ";
    if (const std::string file = located_file(g, f); !file.empty()) {
      s << "file=" << escape_property(ci_path(g, file, o)) << ",";
      if (f.line && file == f.file) s << "line=" << f.line << ",";
    }
    const catalogue::FindingKind* kind = catalogue::find_kind(f.id);
    s << "title=" << escape_property(f.id + (kind ? std::string(": ") + kind->title.in(o.lang) : "")) << "::"
      << escape_data(message_of(f, o) + "\nHint: " + hint_of(f, o) + "\nMore: shmgrade explain " + f.id) << "\n";
  }
  const std::string result = g.assignment + ": " + grading::grade_status_name(g.status) + ", score " + number(g.score) + " / " + number(g.max_score);
  s << (grading::full_marks(g) ? "::notice title=shmgrade::" : "::error title=shmgrade::")
    << escape_data(result) << "\n";
  return s.str();
}

std::string github_step_summary(const grading::Grade& g, const Options& o) {
  std::ostringstream s;
  s << "## shmgrade: " << html(g.assignment) << " — " << number(g.score) << " / " << number(g.max_score) << "\n\n";
  s << "| test | result | points | details |\n|---|---|---|---|\n";
  for (const auto& t : g.tests)
    s << "| " << html(t.name) << " | " << engine::test_status_name(t.status) << " | " << number(t.score) << "/"
      << number(t.max_score) << " | " << (t.hidden ? "" : html(t.output)) << " |\n";
  if (!g.findings.empty()) {
    s << "\n| finding | where | message |\n|---|---|---|\n";
    for (const auto& f : g.findings)
      s << "| `" << f.id << "` | " << html(where_of(f)) << " | " << html(message_of(f, o)) << " |\n";
  }
  s << "\nseed " << g.seed << "\n";
  return s.str();
}

}  // namespace shm::report
