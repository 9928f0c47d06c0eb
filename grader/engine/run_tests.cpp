#include "run_tests.hpp"

#include <signal.h>
#include <string.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "build.hpp"
#include "clock.hpp"

namespace shm::engine {

namespace fs = std::filesystem;

namespace {

// What the program sees: its work dir is /work; {shm} is a POSIX shm name unique to this run.
std::string expand(std::string text, const std::string& shm_name) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"{scratch}", "/work"}, {"{shm}", shm_name}})
    for (size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
  return text;
}

std::string shown(const std::string& text) {  // output quoted for a student, capped
  std::string s = text.size() > 400 ? text.substr(0, 400) + "..." : text;
  std::string out = "\"";
  for (char c : s) out += c == '\n' ? std::string("\\n") : std::string(1, c);
  return out + "\"";
}

struct Checked {
  TestStatus status = TestStatus::Passed;
  std::string why;
};

// One run of one test: the first difference from what the spec expects.
Checked check_run(const spec::TestSpec& test, const sandbox::Outcome& o, const fs::path& workdir) {
  using V = sandbox::Verdict;
  if (o.verdict == V::Timeout) return {TestStatus::Timeout, "did not finish within the time limit (" + o.limit_hit + ")"};
  if (o.verdict == V::Signal)
    return {TestStatus::Crashed, std::string("crashed: killed by SIG") + sigabbrev_np(o.signal) + " (" + strsignal(o.signal) + ")"};
  if (o.verdict != V::Ok && o.verdict != V::RuntimeError)
    return {TestStatus::Failed, std::string("stopped by the sandbox: ") + sandbox::verdict_name(o.verdict)};
  if (o.exit_code != test.exit_status)
    return {TestStatus::Failed, "exit status " + std::to_string(o.exit_code) + ", expected " +
                                    std::to_string(test.exit_status) + (o.err.empty() ? "" : "; stderr: " + shown(o.err))};
  if (test.stdout_exact && o.out != *test.stdout_exact)
    return {TestStatus::Failed, "printed " + shown(o.out) + ", expected " + shown(*test.stdout_exact)};
  if (test.stdout_regex && !std::regex_search(o.out, std::regex(*test.stdout_regex)))
    return {TestStatus::Failed, "printed " + shown(o.out) + ", which does not match /" + *test.stdout_regex + "/"};
  for (const auto& f : test.files) {
    const std::string inside = expand(f.path, "");
    if (inside.rfind("/work/", 0) != 0) continue;  // only the work dir outlives the run
    std::ifstream in(workdir / inside.substr(6), std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.is_open()) return {TestStatus::Failed, inside + " does not exist after the run"};
    if (f.content && bytes != *f.content)
      return {TestStatus::Failed, inside + " holds " + shown(bytes) + ", expected " + shown(*f.content)};
    if (f.int32) {
      int32_t value = 0;
      if (bytes.size() < sizeof value)
        return {TestStatus::Failed, inside + " is " + std::to_string(bytes.size()) + " bytes long; expected an int in its first 4"};
      memcpy(&value, bytes.data(), sizeof value);
      if (value != *f.int32)
        return {TestStatus::Failed, inside + " holds " + std::to_string(value) + " in its first 4 bytes, expected " +
                                        std::to_string(*f.int32)};
    }
  }
  return {};
}

}  // namespace

std::vector<TestResult> run_tests(const spec::AssignmentSpec& spec, const BuildResult& build, uint64_t seed) {
  std::vector<TestResult> results;
  for (size_t i = 0; i < spec.tests.size(); i++) {
    const auto& test = spec.tests[i];
    TestResult r{test.name, TestStatus::Passed, 0, test.points, "", test.hidden};
    for (int rep = 0; rep < test.repeat && r.status == TestStatus::Passed; rep++) {
      char tmpl[] = "/tmp/shmgrade-test-XXXXXX";
      if (!mkdtemp(tmpl)) {
        r.status = TestStatus::Failed;
        r.output = "internal: mkdtemp failed";
        break;
      }
      const fs::path workdir = tmpl;
      std::error_code ec;
      fs::copy_file(build.program, workdir / spec.program, ec);
      std::ostringstream shm_name;
      shm_name << "/shmgrade-" << std::hex << seed << "-" << std::dec << i << "-" << rep;
      sandbox::Request req;
      req.workdir = workdir;
      req.limits = spec.limits;
      req.stdin_data = test.stdin_data;
      req.argv = {"./" + spec.program};
      for (const auto& a : test.args) req.argv.push_back(expand(a, shm_name.str()));
      req.trace = test.mode == spec::TestMode::Traced;
      for (const auto& inj : test.injections) req.trace_options.injections.push_back(*trace::parse_injection(inj));
      auto outcome = sandbox::run(req);
      Checked c = outcome ? check_run(test, *outcome, workdir) : Checked{TestStatus::Failed, outcome.error().message()};
      fs::remove_all(workdir, ec);
      r.status = c.status;
      if (c.status != TestStatus::Passed)
        r.output = (test.repeat > 1 ? "run " + std::to_string(rep + 1) + " of " + std::to_string(test.repeat) + ": " : "") + c.why;
    }
    r.score = r.status == TestStatus::Passed ? test.points : 0;
    results.push_back(r);
  }
  return results;
}

Grade grade(const spec::AssignmentSpec& spec, const fs::path& submission, uint64_t seed) {
  const double started = monotonic_seconds();
  Grade g;
  g.assignment = spec.name;
  g.submission = submission.string();
  g.max_score = spec.max_score();
  auto found = find_submission(submission, spec);
  BuildResult built;
  if (!found) {
    built.message = found.error().message();
  } else {
    built = build(spec, *found);
  }
  if (built.status == BuildStatus::Built) {
    g.status = GradeStatus::Graded;
    g.tests = run_tests(spec, built, seed);
  } else {
    g.status = built.status == BuildStatus::CompileError ? GradeStatus::CompileError : GradeStatus::Rejected;
    g.message = built.message;
    for (const auto& t : spec.tests) g.tests.push_back({t.name, TestStatus::Skipped, 0, t.points, "not run: " + std::string(grade_status_name(g.status)), t.hidden});
  }
  std::error_code ec;
  if (!built.workdir.empty()) fs::remove_all(built.workdir, ec);
  for (const auto& t : g.tests) g.score += t.score;
  g.elapsed_s = monotonic_seconds() - started;
  return g;
}

const char* test_status_name(TestStatus s) {
  static const char* const names[] = {"passed", "failed", "timeout", "crashed", "skipped"};
  return names[int(s)];
}

const char* grade_status_name(GradeStatus s) {
  static const char* const names[] = {"graded", "compile-error", "rejected", "internal-error"};
  return names[int(s)];
}

}  // namespace shm::engine
