// The report writers, one per format: text (what `check` prints), json (shmgrade-result/1), junit,
// gradescope (results.json), sarif (2.1.0), github (workflow commands) and codequality (GitLab). Writers format a Grade; they
// never compute scores. Messages come from the finding catalogue in the chosen language.
#pragma once

#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "catalogue/catalogue.hpp"
#include "grading/result.hpp"

namespace shm::report {

struct Options {
  catalogue::Lang lang = catalogue::Lang::En;
  bool colour = false;     // text: ANSI colours (a tty)
  std::string title;       // the assignment's title
  std::filesystem::path source_root;  // paths in CI formats are relative to it; empty: see source_root()
};

struct Writer {
  const char* format;
  std::function<std::string(const grading::Grade&, const Options&)> write;
  bool for_students;  // true: what a hidden test did is left out (see for_students); false: the instructor's
  const char* extension;  // of a file in this format: batch writes feedback/ID.EXT
};
// Every format, in the order `--format` lists them (report.cpp).
const std::vector<Writer>& writers();
const Writer* find_writer(const std::string& format);
std::string format_names();  // "text, json, ...": for help texts

std::string as_json(const grading::Grade& grade, const Options& options);  // to_json, as text

nlohmann::ordered_json to_json(const grading::Grade& grade, const Options& options);
std::string to_text(const grading::Grade& grade, const Options& options);
std::string to_junit(const grading::Grade& grade, const Options& options);
std::string to_gradescope(const grading::Grade& grade, const Options& options);
std::string to_sarif(const grading::Grade& grade, const Options& options);
std::string to_github(const grading::Grade& grade, const Options& options);
std::string to_codequality(const grading::Grade& grade, const Options& options);
// The Markdown summary GitHub shows on the run's page ($GITHUB_STEP_SUMMARY).
std::string github_step_summary(const grading::Grade& grade, const Options& options);

// The grade as a student may see it: hidden tests are "hidden test N" with no output, and a finding one of them
// showed is only "hidden-test" with its severity and cost (audience.cpp). Writers for students get this.
grading::Grade for_students(const grading::Grade& grade);
bool from_hidden_test(const grading::Grade& grade, const findings::Finding& f);

// Shared by the writers: a finding's message and hint in the options' language, its "file:line" (or ""),
// and the findings a test showed.
std::string message_of(const findings::Finding& f, const Options& options);
std::string hint_of(const findings::Finding& f, const Options& options);
// A test's rule in the options' language (English when the spec gives no Chinese), or "".
const std::string& rule_of(const grading::TestResult& t, const Options& options);
// A test's name in the options' language (name_zh when the spec gives one); by the English name, for a finding's.
const std::string& name_of(const grading::TestResult& t, const Options& options);
std::string test_name_of(const grading::Grade& g, const std::string& test, const Options& options);
std::string where_of(const findings::Finding& f);
std::string number(double v);  // "%g": 13, 0.5
// XML and HTML text and attribute values: markup escaped, and the control characters XML 1.0 cannot carry replaced.
std::string xml_text(const std::string& text);

// Paths as CI platforms take them (paths.cpp): relative to the source root, which is Options::source_root, else
// the current directory when the submission lies under it (a pipeline's checkout), else the submission itself.
std::filesystem::path source_root(const grading::Grade& grade, const Options& options);
// FILE (relative to the submission; "" for the submission itself) relative to the source root, '/'-separated.
std::string ci_path(const grading::Grade& grade, const std::string& file, const Options& options);
// The file a finding is placed at: its own, else the submission's main source (a finding with no line, such as
// wrong-output, still needs a place), else "" (nothing was found to build).
std::string located_file(const grading::Grade& grade, const findings::Finding& f);
// Each finding's fingerprint, in order: stable across gradings of the same submission (what it is and where,
// never its values), different for two findings of one grade. Code Quality and SARIF carry it.
std::vector<std::string> fingerprints(const grading::Grade& grade, const Options& options);
// The fingerprint of a grade's verdict when it has no finding to carry one (rejected, internal error).
std::string verdict_fingerprint(const grading::Grade& grade);
std::vector<const findings::Finding*> findings_of_test(const grading::Grade& grade, const std::string& test);

}  // namespace shm::report
