#include "run_tests.hpp"

#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <regex>
#include <sstream>

#include "build.hpp"
#include "clock.hpp"
#include "children.hpp"
#include "output_diff.hpp"
#include "run_record.hpp"
#include "race/reports.hpp"
#include "files.hpp"
#include "signals.hpp"
#include "text.hpp"
#include "trace/tracer.hpp"
#include "runtime_files.hpp"

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

struct Checked {
  TestStatus status = TestStatus::Passed;
  std::string why;
};

// One run of one test: the first difference from what the spec expects.
Checked check_run(const spec::TestSpec& test, const sandbox::Outcome& o, const fs::path& workdir, bool judge_output) {
  using V = sandbox::Verdict;
  if (o.verdict == V::Timeout) return {TestStatus::Timeout, "did not finish within the time limit (" + o.limit_hit + ")"};
  if (o.verdict == V::Signal)
    return {TestStatus::Crashed, "crashed: killed by " + signal_name(o.signal) + " (" + signal_description(o.signal) + ")"};
  if (o.verdict != V::Ok && o.verdict != V::RuntimeError)
    return {TestStatus::Failed, std::string("stopped by the sandbox: ") + sandbox::verdict_name(o.verdict)};
  if (o.exit_code != test.exit_status)
    return {TestStatus::Failed, "exit status " + std::to_string(o.exit_code) + ", expected " +
                                    std::to_string(test.exit_status) + (o.err.empty() ? "" : "; stderr: " + excerpt(o.err))};
  if (!judge_output) return {};
  if (test.stdout_exact && o.out != *test.stdout_exact)
    return {TestStatus::Failed, describe_difference(o.out, *test.stdout_exact)};
  // std::regex recurses per character it matches, so it sees the first 64 KiB of what the program printed.
  if (test.stdout_regex && !std::regex_search(o.out.substr(0, 64 << 10), std::regex(*test.stdout_regex)))
    return {TestStatus::Failed, "printed " + excerpt(o.out) + ", which does not match /" + *test.stdout_regex + "/"};
  for (const auto& f : test.files) {
    const std::string inside = expand(f.path, "", "");
    if (inside.rfind("/work/", 0) != 0) continue;  // only the work dir outlives the run
    auto read = read_whole_file(workdir / inside.substr(6));
    if (!read) return {TestStatus::Failed, inside + " does not exist after the run"};
    const std::string& bytes = *read;
    if (f.content && bytes != *f.content)
      return {TestStatus::Failed, describe_difference(bytes, *f.content, inside)};
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

// A stress test runs stress_runs (3) times, each under its own seeded schedule, and fails if any does: a lost
// update some schedules hide is then found in every grading. Its failure says what was expected and the --seed
// that replays the schedules, not what a run printed: that depends on how the kernel interleaved the
// processes, and the same submission and seed must get the same result.
uint64_t run_seed(uint64_t seed, size_t index, int rep) { return seed * 1000003 + index * 1009 + uint64_t(rep) + 1; }

// The per-run seeds come from the grading's --seed, which is what a student can pass back to replay them.
std::string stress_failure(const spec::AssignmentSpec& spec, const spec::TestSpec& test, uint64_t seed) {
  const std::string expected = test.stdout_exact ? "it should print " + excerpt(*test.stdout_exact)
                                                 : "it should exit with status " + std::to_string(test.exit_status);
  return "under a perturbed schedule the result was wrong (updates lost or reordered): " + expected +
         " (the schedule comes from --seed " + std::to_string(seed) + ": shmgrade check " + shell_word(spec.name) + " . --seed " +
         std::to_string(seed) + " replays it)";
}

// A fresh work dir for one sandboxed run, inside the grading's scratch dir (which goes when grading ends, even
// when a worker died before removing its own).
Result<fs::path> fresh_dir(const fs::path& scratch, const std::string& kind) {
  std::string path = (scratch / (kind + "-XXXXXX")).string();
  if (!mkdtemp(path.data())) return errno_error("mkdtemp in " + scratch.string());
  return fs::path(path);
}

// What a run's dir starts with: every program's FLAVOUR build, each under its own name (as the test's command
// calls it), and the spec's input files.
std::error_code stage_run_dir(const spec::AssignmentSpec& spec, const BuildResult& build, BuildResult::Flavour flavour,
                              const fs::path& workdir) {
  std::vector<std::pair<fs::path, fs::path>> copies;  // from, to
  for (const auto& name : build.programs) copies.emplace_back(build.executable(name, flavour), workdir / name);
  for (const auto& input : spec.input_files) copies.emplace_back(input, workdir / input.filename());
  std::error_code ec;
  for (const auto& [from, to] : copies)
    if (!fs::copy_file(from, to, ec)) return ec ? ec : std::make_error_code(std::errc::file_exists);
  return ec;
}

// A race test once more with ThreadSanitizer's build, for races between the threads of one process (xrace
// sees only shared mappings). Its output is not checked: the xrace run checked it.
Result<std::vector<race::Race>> tsan_races(const spec::AssignmentSpec& spec, const spec::TestSpec& test,
                                           const std::string& shm_name, const BuildResult& build, const fs::path& scratch) {
  if (build.tsan_program.empty()) return std::vector<race::Race>{};
  auto made = fresh_dir(scratch, "tsan");
  if (!made) return made.error();
  const fs::path workdir = *made;
  if (auto ec = stage_run_dir(spec, build, BuildResult::Flavour::Tsan, workdir)) {
    (void)remove_tree(workdir);
    return Error{"could not copy the ThreadSanitizer build into its run's dir: " + ec.message()};
  }
  sandbox::Request req = test_request(spec, test, shm_name, workdir);
  req.env = {"TSAN_OPTIONS=log_path=/work/.tsan exitcode=0 halt_on_error=0 report_signal_unsafe=0"};
  auto outcome = sandbox::run(req);
  std::vector<race::Race> races;
  if (outcome) races = race::read_tsan_logs(workdir, spec.provided);
  (void)remove_tree(workdir);  // the race run's own dir is checked below, the same way
  if (!outcome) return outcome.error();
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
  const bool racing = spec::racing(test);
  if (racing && build.race_program.empty()) {
    (void)remove_tree(workdir);
    r.status = TestStatus::Failed;
    r.why = build.race_message;
    return r;
  }
  // What a run needs in its dir; a copy that fails is the grader's failure, said as such, not the student's.
  auto internal = [&](const std::string& what) {
    (void)remove_tree(workdir);
    r.status = TestStatus::Failed;
    r.outcome.verdict = sandbox::Verdict::InternalError;
    r.why = "internal: could not copy " + what + " into the run's dir: " + ec.message();
    return r;
  };
  ec = stage_run_dir(spec, build, racing ? BuildResult::Flavour::Race : BuildResult::Flavour::Plain, workdir);
  if (ec) return internal("the programs and input files");
  sandbox::Request req = test_request(spec, test, r.shm_name, workdir);
  r.command = shell_line(req.argv);
  req.trace = test.mode == spec::TestMode::Traced;
  if (racing) {  // the race build: every process of the run shares one side table in the work dir
    r.seed = run_seed(seed, index, rep);
    req.env = {"XRACE_TABLE=/work/.xrace-table", "XRACE_REPORT=/work/.xrace-report", "XRACE_SEED=" + std::to_string(r.seed),
               "XRACE_YIELD=" + std::to_string(test.mode == spec::TestMode::Stress ? test.yield : 0.0),
               std::string("XRACE_ONE_CPU=") + (test.mode == spec::TestMode::Stress ? "1" : "0")};
    if (!build.xrace_provided.empty()) req.env.push_back("XRACE_PROVIDED=" + build.xrace_provided);
  }
  if (req.trace) {  // calls glibc would answer unseen reach the tracer
    if (!fs::copy_file(runtime_file(RuntimeFile::Probe), workdir / ".shmgrade-probe.so", ec)) return internal("the probe");
    req.env.push_back("LD_PRELOAD=/work/.shmgrade-probe.so");
  }
  // A script's shell is not the student's; with several programs, each one's own lines are.
  req.trace_options.student_exe = build.programs.size() > 1 ? "" : "/work/" + spec.program;
  req.trace_options.injections = test.injections;
  req.trace_options.provided = spec.provided;
  req.trace_options.wrapper_calls = build.wrapper_calls;
  auto outcome = sandbox::run(req);
  if (outcome) {
    // A race test judges what the detector reports, not what the run printed: under the race build's timing a
    // program whose output depends on its schedule (a parent that does not wait, a lost update) prints something
    // else in each run. The other tests judge the output.
    Checked c = check_run(test, *outcome, workdir, test.mode != spec::TestMode::Race);
    r.status = c.status;
    r.why = c.why;
    // A program that exits without waiting for its children shows whatever they had done by then, which the
    // schedule decides: the test fails whatever it printed, the same way in every grading.
    if ((r.status == TestStatus::Passed || r.status == TestStatus::Failed) && leaves_children_unwaited(outcome->events)) {
      r.status = TestStatus::Failed;
      r.why = "the program exited without waiting for the children it forked, so what it printed and left depended on "
              "how far they had got (see unwaited-children)";
    }
    if (test.mode == spec::TestMode::Stress && r.status != TestStatus::Passed) r.why = stress_failure(spec, test, seed);
    r.outcome = std::move(*outcome);
    if (racing) {
      auto report = race::read_xrace_report(workdir / ".xrace-report", build.race_builds());
      r.races = std::move(report.races);
      r.lock_misuse = std::move(report.lock_misuse);
      r.race_limits = std::move(report.limits);
    }
    if (test.mode == spec::TestMode::Race) {  // and between threads, ThreadSanitizer's own build
      if (auto threads = tsan_races(spec, test, r.shm_name, build, scratch); threads) {
        r.races.insert(r.races.end(), threads->begin(), threads->end());
      } else {
        r.status = TestStatus::Failed;
        r.why = "internal: the ThreadSanitizer run: " + threads.error().message();
      }
    }
  } else {
    r.status = TestStatus::Failed;
    r.why = outcome.error().message();
  }
  if (auto s = remove_tree(workdir); !s) {  // whatever modes the program left on its files
    r.outcome.notes.push_back("could not remove a test's work dir: " + s.error().message());
    r.outcome.left_behind = true;
  }
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
    const auto& test = spec.tests[index];
    const int runs_wanted = test.mode == spec::TestMode::Stress ? std::max(test.repeat, test.stress_runs) : test.repeat;
    for (int rep = 0; rep < runs_wanted; rep++) {
      runs.push_back(run_once(spec, index, rep, build, seed, scratch));
      if (runs.back().status != TestStatus::Passed) break;
    }
  } catch (const std::exception& e) {
    runs.push_back(lost_run(index, e.what()));
  }
  return runs;
}

}  // namespace

std::vector<RunResult> run_tests(const spec::AssignmentSpec& spec, const BuildResult& build, uint64_t seed, unsigned jobs,
                                 const TestDone& done) {
  // Tests are independent (each has its own work dir and {shm} name), so they run side by side; a test's
  // repeats stay in order. Side by side means worker processes, not threads: the sandbox clones its init
  // with a raw clone(2), and a clone taken while another thread holds a libc lock (malloc's) deadlocks.
  // Workers take the next test from a counter in a shared anonymous mapping, write its runs to a file of its
  // own (one JSON line per run), then its index to a pipe, from which this process learns that it ended.
  const size_t count = spec.tests.size();
  std::vector<std::vector<RunResult>> per_test(count);
  // Every work dir of this grading lives in one scratch dir, removed at the end whatever happened inside. The
  // sandbox's user must be able to pass through it to its own work dir.
  auto made = make_temp_dir("runs");
  if (!made) {
    for (size_t i = 0; i < count; i++) per_test[i].push_back(lost_run(i, made.error().message()));
  } else {
    const fs::path scratch = *made;
    chmod(scratch.c_str(), 0711);
    void* shared = mmap(nullptr, sizeof(std::atomic<size_t>), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    jobs = unsigned(std::min<size_t>(std::max(1u, jobs), count));
    int ended[2] = {-1, -1};
    if (jobs <= 1 || shared == MAP_FAILED || pipe2(ended, O_CLOEXEC) < 0) {
      for (size_t i = 0; i < count; i++) {
        per_test[i] = run_test(spec, i, build, seed, scratch);
        if (done) done(i, per_test[i]);
      }
    } else {
      auto* next = new (shared) std::atomic<size_t>(0);
      std::vector<pid_t> workers;
      for (unsigned w = 0; w < jobs; w++) {
        pid_t pid = fork();
        if (pid == 0) {
          close(ended[0]);
          bool written = true;
          for (size_t i; (i = next->fetch_add(1)) < count;) {
            std::ofstream out(scratch / ("test-" + std::to_string(i)));
            for (const auto& r : run_test(spec, i, build, seed, scratch)) out << json_text(run_to_json(r)) << "\n";
            written &= bool(out.flush());
            const std::string line = std::to_string(i) + "\n";  // shorter than PIPE_BUF: written whole
            written &= write(ended[1], line.data(), line.size()) == ssize_t(line.size());
          }
          _exit(written ? 0 : 1);
        }
        if (pid > 0) workers.push_back(pid);
      }
      close(ended[1]);
      // Until every worker has closed its end: each line names a test whose runs are in its file.
      FILE* ends = fdopen(ended[0], "r");
      for (size_t i; ends && fscanf(ends, "%zu", &i) == 1;) {
        if (i >= count) continue;
        std::ifstream in(scratch / ("test-" + std::to_string(i)));
        for (std::string line; std::getline(in, line);)
          if (auto j = nlohmann::ordered_json::parse(line, nullptr, false); !j.is_discarded()) per_test[i].push_back(run_from_json(j));
        if (done && !per_test[i].empty()) done(i, per_test[i]);
      }
      if (ends) fclose(ends);
      else close(ended[0]);
      for (pid_t pid : workers)
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
    }
    if (shared != MAP_FAILED) munmap(shared, sizeof(std::atomic<size_t>));
    (void)remove_tree(scratch);
    for (size_t i = 0; i < count; i++)  // a worker that died took its test's runs with it
      if (per_test[i].empty()) per_test[i].push_back(lost_run(i, "the worker running this test died"));
  }
  std::vector<RunResult> runs;
  for (auto& t : per_test) std::move(t.begin(), t.end(), std::back_inserter(runs));
  return runs;
}

}  // namespace shm::engine
