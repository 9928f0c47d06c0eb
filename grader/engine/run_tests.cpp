#include "run_tests.hpp"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>

#include "build.hpp"
#include "clock.hpp"
#include "findings/analyze.hpp"
#include "run_record.hpp"
#include "race/reports.hpp"
#include "trace/tracer.hpp"

namespace shm::engine {

namespace fs = std::filesystem;

namespace {

// What the program sees: its work dir is /work; {shm} is a POSIX shm name unique to this run.
std::string expand(std::string text, const std::string& shm_name, const std::string& program) {
  for (auto [from, to] : {std::pair<std::string, std::string>{"{scratch}", "/work"}, {"{shm}", shm_name},
                          {"{program}", "./" + program}})
    for (size_t at; (at = text.find(from)) != std::string::npos;) text.replace(at, from.size(), to);
  return text;
}

std::string shown(const std::string& text) {  // output quoted for a student, capped
  std::string s = text.size() > 400 ? text.substr(0, 400) + "..." : text;
  std::string out = "\"";
  for (unsigned char c : s) {  // one line, no control characters: reports and terminals show it as it is
    if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char hex[8];
      snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else out += char(c);
  }
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
  // std::regex recurses per character it matches, so it sees the first 64 KiB of what the program printed.
  if (test.stdout_regex && !std::regex_search(o.out.substr(0, 64 << 10), std::regex(*test.stdout_regex)))
    return {TestStatus::Failed, "printed " + shown(o.out) + ", which does not match /" + *test.stdout_regex + "/"};
  for (const auto& f : test.files) {
    const std::string inside = expand(f.path, "", "");
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

// The request that runs TEST's program (or script) in WORKDIR.
sandbox::Request test_request(const spec::AssignmentSpec& spec, const spec::TestSpec& test, const std::string& shm_name,
                              const fs::path& workdir) {
  sandbox::Request req;
  req.workdir = workdir;
  req.limits = spec.limits;
  req.stdin_data = test.stdin_data;
  if (test.script.empty()) {
    req.argv = {"./" + spec.program};
    for (const auto& a : test.args) req.argv.push_back(expand(a, shm_name, spec.program));
  } else {
    req.argv = {"/bin/sh", "-c", expand(test.script, shm_name, spec.program)};
  }
  return req;
}

// A fresh work dir for one sandboxed run, inside the grading's scratch dir (which goes when grading ends, even
// when a worker died before removing its own).
Result<fs::path> fresh_dir(const fs::path& scratch, const std::string& kind) {
  std::string path = (scratch / (kind + "-XXXXXX")).string();
  if (!mkdtemp(path.data())) return errno_error("mkdtemp in " + scratch.string());
  return fs::path(path);
}

// A race test once more with ThreadSanitizer's build, for races between the threads of one process (xrace
// sees only shared mappings). Its output is not checked: the xrace run checked it.
std::vector<Race> tsan_races(const spec::AssignmentSpec& spec, const spec::TestSpec& test, const std::string& shm_name,
                             const BuildResult& build, const fs::path& scratch) {
  if (build.tsan_program.empty()) return {};
  auto made = fresh_dir(scratch, "tsan");
  if (!made) return {};
  const fs::path workdir = *made;
  std::error_code ec;
  fs::copy_file(build.tsan_program, workdir / spec.program, ec);
  sandbox::Request req = test_request(spec, test, shm_name, workdir);
  req.env = {"TSAN_OPTIONS=log_path=/work/.tsan exitcode=0 halt_on_error=0 report_signal_unsafe=0"};
  std::vector<Race> races;
  if (sandbox::run(req)) races = race::read_tsan_logs(workdir);
  fs::remove_all(workdir, ec);
  return races;
}

// One sandboxed run of TEST in a fresh work dir holding only the program.
RunResult run_once(const spec::AssignmentSpec& spec, size_t index, int rep, const BuildResult& build, uint64_t seed,
                   const fs::path& scratch) {
  const auto& test = spec.tests[index];
  RunResult r;
  r.test = index;
  r.repeat = rep;
  std::ostringstream shm_name;
  shm_name << "/shmgrade-" << std::hex << seed << "-" << std::dec << index << "-" << rep;
  r.shm_name = shm_name.str();
  auto made = fresh_dir(scratch, "test");
  if (!made) {
    r.status = TestStatus::Failed;
    r.why = "internal: " + made.error().message();
    return r;
  }
  const fs::path workdir = *made;
  std::error_code ec;
  const bool racing = test.mode == spec::TestMode::Race || test.mode == spec::TestMode::Stress;
  if (racing && build.race_program.empty()) {
    fs::remove_all(workdir, ec);
    r.status = TestStatus::Failed;
    r.why = build.race_message;
    return r;
  }
  fs::copy_file(racing ? build.race_program : build.program, workdir / spec.program, ec);
  sandbox::Request req = test_request(spec, test, r.shm_name, workdir);
  req.trace = test.mode == spec::TestMode::Traced;
  if (racing) {  // the race build: every process of the run shares one side table in the work dir
    r.seed = seed * 1000003 + index * 1009 + uint64_t(rep) + 1;
    req.env = {"XRACE_TABLE=/work/.xrace-table", "XRACE_REPORT=/work/.xrace-report", "XRACE_SEED=" + std::to_string(r.seed),
               "XRACE_YIELD=" + std::to_string(test.mode == spec::TestMode::Stress ? test.yield : 0.0),
               std::string("XRACE_ONE_CPU=") + (test.mode == spec::TestMode::Stress ? "1" : "0")};
  }
  if (req.trace && fs::copy_file(SHMGRADE_PROBE, workdir / ".shmgrade-probe.so", ec))
    req.env.push_back("LD_PRELOAD=/work/.shmgrade-probe.so");  // calls glibc would answer unseen reach the tracer
  req.trace_options.student_exe = "/work/" + spec.program;  // a script's shell is not the student's
  for (const auto& inj : test.injections) req.trace_options.injections.push_back(*trace::parse_injection(inj));
  auto outcome = sandbox::run(req);
  if (outcome) {
    Checked c = check_run(test, *outcome, workdir);
    r.status = c.status;
    r.why = c.why;
    if (test.mode == spec::TestMode::Stress && r.status != TestStatus::Passed)
      r.why += " (schedule perturbed with seed " + std::to_string(r.seed) + ")";
    r.outcome = std::move(*outcome);
    if (racing) {
      auto report = race::read_xrace_report(workdir / ".xrace-report", build.race_program);
      r.races = std::move(report.races);
      r.lock_misuse = std::move(report.lock_misuse);
    }
    // A race test's output is checked only while it reports no race: with a race, what a run prints depends
    // on its timing, and the data-race finding (the same every time) says what is wrong.
    if (test.mode == spec::TestMode::Race && !r.races.empty() && r.status == TestStatus::Failed) {
      r.status = TestStatus::Passed;
      r.why.clear();
    }
    if (test.mode == spec::TestMode::Race) {  // and between threads, ThreadSanitizer's own build
      auto threads = tsan_races(spec, test, r.shm_name, build, scratch);
      r.races.insert(r.races.end(), threads.begin(), threads.end());
    }
  } else {
    r.status = TestStatus::Failed;
    r.why = outcome.error().message();
  }
  fs::remove_all(workdir, ec);
  return r;
}

RunResult lost_run(size_t index, const std::string& why) {
  RunResult lost;
  lost.test = index;
  lost.status = TestStatus::Failed;
  lost.outcome.verdict = sandbox::Verdict::InternalError;
  lost.why = "internal: " + why;
  return lost;
}

// The runs of one test: REPEAT of them, stopping at the first failure. An exception is the grader's fault, not
// the submission's: it becomes the test's internal error rather than the end of the grading.
std::vector<RunResult> run_test(const spec::AssignmentSpec& spec, size_t index, const BuildResult& build, uint64_t seed,
                                const fs::path& scratch) {
  std::vector<RunResult> runs;
  try {
    for (int rep = 0; rep < spec.tests[index].repeat; rep++) {
      runs.push_back(run_once(spec, index, rep, build, seed, scratch));
      if (runs.back().status != TestStatus::Passed) break;
    }
  } catch (const std::exception& e) {
    runs.push_back(lost_run(index, e.what()));
  }
  return runs;
}

TestResult summarize(const spec::TestSpec& test, const std::vector<RunResult>& runs) {
  TestResult t{test.name, TestStatus::Passed, test.points, test.points, "", test.hidden};
  for (const auto& r : runs) {
    if (r.status == TestStatus::Passed) continue;
    t.status = r.status;
    t.score = 0;
    t.output = (test.repeat > 1 ? "run " + std::to_string(r.repeat + 1) + " of " + std::to_string(test.repeat) + ": " : "") + r.why;
  }
  return t;
}

}  // namespace

std::vector<RunResult> run_tests(const spec::AssignmentSpec& spec, const BuildResult& build, uint64_t seed, unsigned jobs) {
  // Tests are independent (each has its own work dir and {shm} name), so they run side by side; a test's
  // repeats stay in order. Side by side means worker processes, not threads: the sandbox clones its init
  // with a raw clone(2), and a clone taken while another thread holds a libc lock (malloc's) deadlocks.
  // Workers take the next test from a counter in a shared anonymous mapping and write each test's runs to
  // their own file, one JSON line per run.
  const size_t count = spec.tests.size();
  std::vector<std::vector<RunResult>> per_test(count);
  // Every work dir of this grading lives in one scratch dir, removed at the end whatever happened inside. The
  // sandbox's user must be able to pass through it to its own work dir.
  char scratch_template[] = "/tmp/shmgrade-runs-XXXXXX";
  if (!mkdtemp(scratch_template)) {
    for (size_t i = 0; i < count; i++) per_test[i].push_back(lost_run(i, std::string("mkdtemp: ") + strerror(errno)));
  } else {
    const fs::path scratch = scratch_template;
    chmod(scratch_template, 0711);
    void* shared = mmap(nullptr, sizeof(std::atomic<size_t>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    jobs = unsigned(std::min<size_t>(std::max(1u, jobs), count));
    if (jobs <= 1 || shared == MAP_FAILED) {
      for (size_t i = 0; i < count; i++) per_test[i] = run_test(spec, i, build, seed, scratch);
    } else {
      auto* next = new (shared) std::atomic<size_t>(0);
      std::vector<pid_t> workers;
      for (unsigned w = 0; w < jobs; w++) {
        pid_t pid = fork();
        if (pid == 0) {
          std::ofstream out(scratch / ("runs-" + std::to_string(w)));
          for (size_t i; (i = next->fetch_add(1)) < count;)
            for (const auto& r : run_test(spec, i, build, seed, scratch)) out << run_to_json(r).dump() << "\n" << std::flush;
          _exit(out ? 0 : 1);
        }
        if (pid > 0) workers.push_back(pid);
      }
      for (pid_t pid : workers)
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
      for (unsigned w = 0; w < jobs; w++) {
        std::ifstream in(scratch / ("runs-" + std::to_string(w)));
        for (std::string line; std::getline(in, line);) {
          auto j = nlohmann::ordered_json::parse(line, nullptr, false);
          if (j.is_discarded()) continue;
          RunResult r = run_from_json(j);
          if (r.test < count) per_test[r.test].push_back(std::move(r));
        }
      }
    }
    if (shared != MAP_FAILED) munmap(shared, sizeof(std::atomic<size_t>));
    std::error_code ec;
    fs::remove_all(scratch, ec);
    for (size_t i = 0; i < count; i++)  // a worker that died took its test's runs with it
      if (per_test[i].empty()) per_test[i].push_back(lost_run(i, "the worker running this test died"));
  }
  std::vector<RunResult> runs;
  for (auto& t : per_test) std::move(t.begin(), t.end(), std::back_inserter(runs));
  return runs;
}

Grade score(const spec::AssignmentSpec& spec, const std::vector<RunResult>& runs, std::vector<Finding> findings) {
  Grade g;
  g.status = GradeStatus::Graded;
  g.max_score = spec.max_score();
  for (size_t i = 0; i < spec.tests.size(); i++) {
    std::vector<RunResult> mine;
    for (const auto& r : runs)
      if (r.test == i) mine.push_back(r);
    g.tests.push_back(summarize(spec.tests[i], mine));
    g.score += g.tests.back().score;
  }
  for (const auto& f : findings) g.score -= f.points;
  g.score = std::max(0.0, g.score);
  g.findings = std::move(findings);
  return g;
}

Grade grade(const spec::AssignmentSpec& spec, const fs::path& submission, const GradeOptions& options) {
  const double started = monotonic_seconds();
  auto found = find_submission(submission, spec);
  BuildResult built;
  if (!found) built.message = found.error().message();
  else built = build(spec, *found);
  const bool wants_race_build = std::any_of(spec.tests.begin(), spec.tests.end(), [](const spec::TestSpec& t) {
    return t.mode == spec::TestMode::Race || t.mode == spec::TestMode::Stress;
  });
  if (built.status == BuildStatus::Built && wants_race_build) build_race(spec, built);
  Grade g;
  if (built.status == BuildStatus::Built) {
    const std::vector<RunResult> runs = run_tests(spec, built, options.seed, options.jobs);
    g = score(spec, runs, findings::analyze(spec, runs, submission));
  } else {
    g.status = built.status == BuildStatus::CompileError ? GradeStatus::CompileError : GradeStatus::Rejected;
    g.max_score = spec.max_score();
    g.message = built.message;
    if (g.status == GradeStatus::CompileError) g.findings.push_back(findings::compile_finding(built));
    for (const auto& t : spec.tests)
      g.tests.push_back({t.name, TestStatus::Skipped, 0, t.points, "not run: " + std::string(grade_status_name(g.status)), t.hidden});
  }
  std::error_code ec;
  if (!built.workdir.empty()) fs::remove_all(built.workdir, ec);
  g.assignment = spec.name;
  g.submission = submission.string();
  g.seed = options.seed;
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
