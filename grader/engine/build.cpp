#include "build.hpp"
#include "runtime_files.hpp"
#include "race/reports.hpp"
#include "trace/wrappers.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <set>
#include <cerrno>

namespace shm::engine {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kDefaultCFlags = {"-std=gnu17", "-O2", "-g", "-Wall", "-pthread"};
const std::vector<std::string> kDefaultCxxFlags = {"-std=gnu++20", "-O2", "-g", "-Wall", "-pthread"};

bool is_source(const fs::path& p, bool cxx) {
  const std::string ext = p.extension().string();
  return ext == ".c" || (cxx && (ext == ".cc" || ext == ".cpp"));
}

// The one compile command: COMPILER, the spec's flags (or the defaults), then MORE_FLAGS (later flags win: the
// race builds' -O0 over -O2), the sources ("./": a name never reads as a flag), EXTRA inputs, -o OUTPUT, then
// the spec's ldflags.
std::vector<std::string> compile_command(const spec::AssignmentSpec& spec, const std::string& compiler,
                                         const std::vector<std::string>& more_flags,
                                         const std::vector<std::string>& sources, const std::vector<std::string>& extra,
                                         const std::string& output) {
  const bool cxx = spec.language == "c++";
  const auto& flags = spec.cflags.empty() ? (cxx ? kDefaultCxxFlags : kDefaultCFlags) : spec.cflags;
  std::vector<std::string> argv = {compiler};
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.insert(argv.end(), more_flags.begin(), more_flags.end());
  for (const auto& source : sources) argv.push_back("./" + source);
  argv.insert(argv.end(), extra.begin(), extra.end());
  argv.insert(argv.end(), {"-o", output});
  argv.insert(argv.end(), spec.ldflags.begin(), spec.ldflags.end());
  return argv;
}

}  // namespace

Result<Submission> find_submission(const fs::path& dir, const spec::AssignmentSpec& spec) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error{"submission " + dir.string() + " is not a directory"};
  Submission s{dir, {}};
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (!is_source(entry.path(), spec.language == "c++")) continue;
    const std::string name = entry.path().filename().string();
    // A link could point anywhere on the grader's host: refused, and said so (it is not "no sources").
    if (entry.is_symlink(ec)) return Error{"refused: " + name + " is a symbolic link; submit the file itself"};
    if (entry.is_regular_file(ec)) s.sources.push_back(name);
  }
  std::sort(s.sources.begin(), s.sources.end());
  return s;
}

namespace {

// One program's compile: its name and sources.
struct Unit {
  std::string program;
  std::vector<std::string> sources;
};

// The programs SOURCES make: one of them all, or with spec.programs, each main file with the files without one.
std::vector<Unit> units_of(const spec::AssignmentSpec& spec, const std::vector<std::string>& sources) {
  if (spec.programs.empty()) return {{spec.program, sources}};
  auto is_main = [&](const std::string& source) {
    return std::any_of(spec.programs.begin(), spec.programs.end(), [&](const auto& p) { return p.main_source == source; });
  };
  std::vector<Unit> units;
  for (const auto& p : spec.programs) {
    Unit unit{p.name, {}};
    for (const auto& source : sources)
      if (source == p.main_source || !is_main(source)) unit.sources.push_back(source);
    units.push_back(std::move(unit));
  }
  return units;
}

// The sources in WORKDIR, sorted: the directory's order is the file system's, not the same everywhere.
std::vector<std::string> sources_in(const fs::path& workdir, const spec::AssignmentSpec& spec) {
  std::error_code ec;
  std::vector<std::string> sources;
  for (const auto& entry : fs::directory_iterator(workdir, ec))
    if (is_source(entry.path(), spec.language == "c++")) sources.push_back(entry.path().filename().string());
  std::sort(sources.begin(), sources.end());
  return sources;
}

// Compiles UNIT in WORKDIR with COMPILER, the spec's flags and MORE_FLAGS (then EXTRA inputs) into its program
// + SUFFIX, in the sandbox.
Result<sandbox::Outcome> compile_in(const fs::path& workdir, const spec::AssignmentSpec& spec, const std::string& compiler,
                                    const std::vector<std::string>& more_flags, const std::vector<std::string>& extra,
                                    const Unit& unit, const std::string& suffix) {
  sandbox::Request req;
  req.workdir = workdir;
  req.limits = sandbox::Limits::defaults(sandbox::Profile::Compile);
  req.argv = compile_command(spec, compiler, more_flags, unit.sources, extra, unit.program + suffix);
  return sandbox::run(req);
}

}  // namespace

BuildResult build(const spec::AssignmentSpec& spec, const Submission& submission) {
  BuildResult result;
  if (submission.sources.empty()) {
    result.status = BuildStatus::Rejected;
    result.message = "no source files (*.c) in the submission";
    return result;
  }
  const std::vector<Unit> units = units_of(spec, submission.sources);
  const std::string compiler = spec.language == "c++" ? "c++" : "cc";
  sandbox::Request req;  // the first program's compile copies the submission in; the others compile beside it
  req.copy_in = submission.dir;
  req.keep_workdir = true;
  req.limits = sandbox::Limits::defaults(sandbox::Profile::Compile);
  req.argv = compile_command(spec, compiler, {}, units[0].sources, {}, units[0].program);
  result.command = req.argv;
  auto outcome = sandbox::run(req);
  if (!outcome) {  // copy-in refused it: symlinks, devices, an empty or oversized tree
    result.status = BuildStatus::Rejected;
    result.message = outcome.error().message();
    return result;
  }
  result.workdir = outcome->workdir;
  for (size_t i = 0;; i++) {
    result.message += outcome->out + outcome->err;
    if (outcome->verdict != sandbox::Verdict::Ok || !fs::is_regular_file(result.workdir / units[i].program)) {
      result.status = BuildStatus::CompileError;
      if (outcome->verdict != sandbox::Verdict::RuntimeError)
        result.message += std::string("\n(compiler stopped: ") + sandbox::verdict_name(outcome->verdict) + ")";
      return result;
    }
    result.programs.push_back(units[i].program);
    if (i + 1 == units.size()) break;
    outcome = compile_in(result.workdir, spec, compiler, {}, {}, units[i + 1], "");
    if (!outcome) {
      result.status = BuildStatus::CompileError;
      result.message += outcome.error().message();
      return result;
    }
  }
  result.status = BuildStatus::Built;
  result.program = result.workdir / spec.program;
  // A call made through a wrapper of the student's is placed at the wrapper's caller (the sources were at /work).
  std::set<std::string> wrapper_calls;
  for (const auto& name : result.programs)
    for (auto& call : trace::wrapper_call_lines(result.workdir / name, "/work", result.workdir))
      wrapper_calls.insert(std::move(call));
  result.wrapper_calls.assign(wrapper_calls.begin(), wrapper_calls.end());
  return result;
}

void build_race(const spec::AssignmentSpec& spec, BuildResult& built) {
  // In the plain build's work dir, beside the sources, two more builds of each program side by side:
  //  - xrace's: clang's ThreadSanitizer instrumentation without its runtime, linked with xrace. -O0: every
  //    increment stays a load and a store, so a seeded yield between them shows a lost update (at -O1 clang
  //    folds a loop of increments into one add). -gdwarf-aranges: libdw finds lines through them.
  //  - ThreadSanitizer proper (Debian's runtime), for races between threads in any memory.
  // Both take the spec's cflags (its -std, -D, -I) or the defaults first, their own after them, which win.
  std::error_code ec;
  if (!fs::copy_file(runtime_file(RuntimeFile::Xrace), built.workdir / ".xrace.a", fs::copy_options::overwrite_existing, ec)) {
    built.race_message = "the race detector's runtime is missing: " + ec.message();
    return;
  }
  const bool cxx = spec.language == "c++";
  using Flavour = BuildResult::Flavour;
  bool tsan_built = true;
  for (const Unit& unit : units_of(spec, sources_in(built.workdir, spec))) {
    // The grader is one thread here, so a forked child may run a sandbox of its own.
    const pid_t tsan_builder = fork();
    if (tsan_builder == 0) {
      auto o = compile_in(built.workdir, spec, cxx ? "c++" : "cc", {"-O1", "-g", "-pthread", "-fsanitize=thread"}, {},
                          unit, ".tsan");
      _exit(o && o->verdict == sandbox::Verdict::Ok ? 0 : 1);
    }
    auto outcome = compile_in(built.workdir, spec, cxx ? "clang++" : "clang",
                              {"-O0", "-g", "-gdwarf-aranges", "-pthread", "-fsanitize=thread", "-fno-sanitize-link-runtime"},
                              {"./.xrace.a"}, unit, ".race");
    int status = 1;
    if (tsan_builder > 0)
      while (waitpid(tsan_builder, &status, 0) < 0 && errno == EINTR) {
      }
    tsan_built &= tsan_builder > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                  fs::is_regular_file(built.executable(unit.program, Flavour::Tsan));
    if (!outcome || outcome->verdict != sandbox::Verdict::Ok || !fs::is_regular_file(built.executable(unit.program, Flavour::Race))) {
      built.race_message = "the race build failed: " + (outcome ? outcome->out + outcome->err : outcome.error().message());
      return;
    }
  }
  built.race_program = built.executable(spec.program, Flavour::Race);
  if (!spec.provided.empty()) built.xrace_provided = race::xrace_provided(built.race_builds(), spec.provided);
  if (tsan_built) built.tsan_program = built.executable(spec.program, Flavour::Tsan);
}

}  // namespace shm::engine
