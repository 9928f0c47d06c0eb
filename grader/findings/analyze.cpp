#include "analyze.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

namespace shm::findings {

Finding make_finding(const std::string& id, const RunView& view, const std::string& file, int line) {
  Finding f;
  f.id = id;
  const catalogue::FindingKind* kind = catalogue::find_kind(id);
  f.severity = kind ? kind->severity : catalogue::Severity::Error;
  f.file = file;
  f.line = line;
  f.test = view.test.name;
  // The assignment's own hint, where the catalogue's general one would mislead (report::hint_of reads it).
  if (auto hint = view.spec.finding_hints.find(id); hint != view.spec.finding_hints.end()) {
    f.detail["hint"] = hint->second.en;
    f.detail["hint_zh"] = hint->second.zh;
  }
  return f;
}

Findings analyze(const spec::AssignmentSpec& spec, const std::vector<engine::RunResult>& runs,
                 const std::filesystem::path& submission) {
  using Family = void (*)(const RunView&, Findings&);
  static const Family kFamilies[] = {run_outcome_findings, injection_findings, mapping_findings,
                                     technique_findings,   process_findings,   sync_findings,
                                     race_findings};
  Findings all;
  for (const auto& run : runs) {
    const spec::TestSpec& test = spec.tests.at(run.test);
    const std::vector<Before> before = replay(run.outcome.events);
    const RunView view{spec, test, run, submission, test.techniques.empty() ? spec.techniques : test.techniques, before};
    for (Family family : kFamilies) family(view, all);
  }
  // A crash, timeout or wrong output that a located error explains says nothing more: one of the same test,
  // or, for a test whose run was not traced (the race build's), one of any test. A stress test's wrong
  // output, quoting its seed, stays beside a data race (it shows the race's effect) but not beside another
  // located error (a private mapping is why it printed 0, not the schedule).
  std::set<std::string> explained, untraced, stress;
  bool located = false, located_not_race = false;
  for (const auto& t : spec.tests)
    if (t.mode == spec::TestMode::Stress) stress.insert(t.name);
  auto generic = [](const Finding& f) { return f.id == "crash" || f.id == "timeout" || f.id == "wrong-output"; };
  for (const auto& f : all)
    if (!f.file.empty() && f.severity == catalogue::Severity::Error && !generic(f)) {
      explained.insert(f.test);
      located = true;
      located_not_race |= f.id != "data-race";
    }
  for (const auto& run : runs)
    if (run.outcome.events.empty()) untraced.insert(spec.tests.at(run.test).name);
  // An output test that a race decides fails for the race, whatever this grading's schedule made it print.
  const std::vector<bool> decided = decided_by_race(spec, runs);
  for (size_t i = 0; i < spec.tests.size(); i++)
    if (decided[i] && !spec::racing(spec.tests[i])) explained.insert(spec.tests[i].name);
  if (located) explained.insert(untraced.begin(), untraced.end());
  if (!located_not_race)
    for (const auto& name : stress) explained.erase(name);
  std::set<std::string> private_mapped;  // a private mapping is why the required shared one is missing
  for (const auto& f : all)
    if (f.id == "private-mapping") private_mapped.insert(f.test);
  std::erase_if(all, [&](const Finding& f) {  // a crash located at its faulting line is still explained by its cause
    return (explained.count(f.test) && generic(f)) ||
           (f.id == "mode-mismatch" && private_mapped.count(f.test));
  });
  // Once per place: a line shown by several tests or repeats is one finding (the first test's); without a
  // place, once per distinct message.
  Findings kept;
  std::set<std::tuple<std::string, std::string, int, std::string>> seen;
  for (auto& f : all) {
    std::string what;
    if (f.file.empty())
      for (const auto& [k, v] : f.detail) what += k + "=" + v + ";";
    if (seen.insert({f.id, f.file, f.line, what}).second) kept.push_back(std::move(f));
  }
  std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
    return std::tie(a.file, a.line) < std::tie(b.file, b.line) && !a.file.empty() && !b.file.empty();
  });
  // Each kind costs its points once per submission, charged to its first finding.
  std::set<std::string> charged;
  for (auto& f : kept) {
    if (!charged.insert(f.id).second) continue;
    auto over = spec.finding_points.find(f.id);
    const catalogue::FindingKind* kind = catalogue::find_kind(f.id);
    f.points = over != spec.finding_points.end() ? over->second : kind ? kind->default_points : 0;
  }
  return kept;
}

Finding compile_finding(const engine::BuildResult& build) {
  constexpr size_t kMaxMatchedLine = 1024;
  Finding f;
  f.id = "compile-error";
  std::string flags;
  for (const auto& word : build.command) flags += (flags.empty() ? "" : " ") + word;
  f.detail["flags"] = flags;
  // gcc and clang: "./counter.c:12:5: error: expected ';' before 'return'"
  static const std::regex kError(R"(^(?:\./)?([^:\n]+):(\d+):(?:\d+:)? (?:fatal )?error: (.*)$)");
  std::istringstream lines(build.message);
  for (std::string line; std::getline(lines, line);) {
    // Diagnostics quote the student's source, and std::regex recurses per character of `.*`: a line made
    // of a 300,000-character identifier overflowed the stack. The place is at the start; the rest is cut.
    if (line.size() > kMaxMatchedLine) line.resize(kMaxMatchedLine);
    std::smatch m;
    if (!std::regex_match(line, m, kError)) continue;
    f.file = m[1];
    f.line = std::stoi(m[2]);
    f.detail["message"] = m[3];
    return f;
  }
  f.detail["message"] = build.message.substr(0, build.message.find('\n'));  // the linker's, or the sandbox's
  return f;
}

}  // namespace shm::findings
