// The writers' registry: every format, who reads it, and how --format's help names them.
#include "report.hpp"

namespace shm::report {

namespace {

std::string student_text(const grading::Grade& g, const Options& o) { return to_text(for_students(g), o); }
std::string student_junit(const grading::Grade& g, const Options& o) { return to_junit(for_students(g), o); }
std::string student_sarif(const grading::Grade& g, const Options& o) { return to_sarif(for_students(g), o); }
std::string student_github(const grading::Grade& g, const Options& o) { return to_github(for_students(g), o); }
std::string student_codequality(const grading::Grade& g, const Options& o) { return to_codequality(for_students(g), o); }
}  // namespace

const std::vector<Writer>& writers() {
  // Gradescope's writer sees everything: it marks what comes of a hidden test "hidden" itself, so that the
  // instructor still reads it there.
  static const std::vector<Writer> kWriters = {
      {"text", student_text, true, ".txt"},
      {"json", as_json, false, ".json"},
      {"junit", student_junit, true, ".junit.xml"},
      {"gradescope", to_gradescope, true, ".gradescope.json"},
      {"sarif", student_sarif, true, ".sarif"},
      {"github", student_github, true, ".github.log"},
      {"codequality", student_codequality, true, ".codequality.json"}};
  return kWriters;
}

const Writer* find_writer(const std::string& format) {
  for (const auto& w : writers())
    if (format == w.format) return &w;
  return nullptr;
}

std::string format_names() {
  std::string names;
  for (const auto& w : writers()) names += (names.empty() ? "" : ", ") + std::string(w.format);
  return names;
}

std::string xml_text(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += (c < 0x20 && c != '\n' && c != '\t' && c != '\r') ? '?' : char(c);
    }
  }
  return out;
}

}  // namespace shm::report
