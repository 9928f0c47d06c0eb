#include "build.hpp"

#include <algorithm>

namespace shm::engine {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kDefaultCFlags = {"-std=gnu17", "-O2", "-g", "-Wall", "-pthread"};
const std::vector<std::string> kDefaultCxxFlags = {"-std=gnu++20", "-O2", "-g", "-Wall", "-pthread"};

bool is_source(const fs::path& p, bool cxx) {
  const std::string ext = p.extension().string();
  return ext == ".c" || (cxx && (ext == ".cc" || ext == ".cpp"));
}

}  // namespace

Result<Submission> find_submission(const fs::path& dir, const spec::AssignmentSpec& spec) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return Error{"submission " + dir.string() + " is not a directory"};
  Submission s{dir, {}};
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (is_source(entry.path(), spec.language == "c++") && entry.is_regular_file(ec) && !entry.is_symlink(ec))
      s.sources.push_back(entry.path().filename().string());
  std::sort(s.sources.begin(), s.sources.end());
  return s;
}

BuildResult build(const spec::AssignmentSpec& spec, const Submission& submission) {
  BuildResult result;
  if (submission.sources.empty()) {
    result.status = BuildStatus::Rejected;
    result.message = "no source files (*.c) in the submission";
    return result;
  }
  sandbox::Request req;
  req.copy_in = submission.dir;
  req.keep_workdir = true;
  req.limits = sandbox::Limits::defaults(sandbox::Profile::Compile);
  const bool cxx = spec.language == "c++";
  req.argv = {cxx ? "c++" : "cc"};
  const auto& flags = spec.cflags.empty() ? (cxx ? kDefaultCxxFlags : kDefaultCFlags) : spec.cflags;
  req.argv.insert(req.argv.end(), flags.begin(), flags.end());
  for (const auto& source : submission.sources) req.argv.push_back("./" + source);  // "./": a name never reads as a flag
  req.argv.insert(req.argv.end(), {"-o", spec.program});
  req.argv.insert(req.argv.end(), spec.ldflags.begin(), spec.ldflags.end());

  result.command = req.argv;
  auto outcome = sandbox::run(req);
  if (!outcome) {  // copy-in refused it: symlinks, devices, an empty or oversized tree
    result.status = BuildStatus::Rejected;
    result.message = outcome.error().message();
    return result;
  }
  result.workdir = outcome->workdir;
  result.message = outcome->out + outcome->err;
  if (outcome->verdict == sandbox::Verdict::Ok && fs::is_regular_file(result.workdir / spec.program)) {
    result.status = BuildStatus::Built;
    result.program = result.workdir / spec.program;
  } else {
    result.status = BuildStatus::CompileError;
    if (outcome->verdict != sandbox::Verdict::RuntimeError)
      result.message += std::string("\n(compiler stopped: ") + sandbox::verdict_name(outcome->verdict) + ")";
  }
  return result;
}

void build_race(const spec::AssignmentSpec& spec, BuildResult& built) {
  // In the plain build's work dir, beside the sources: the same sources instrumented (clang's
  // ThreadSanitizer instrumentation, without its runtime) and linked with xrace.
  std::error_code ec;
  if (!fs::copy_file(SHMGRADE_XRACE, built.workdir / ".xrace.a", fs::copy_options::overwrite_existing, ec)) {
    built.race_message = "the race detector's runtime is missing: " + ec.message();
    return;
  }
  sandbox::Request req;
  req.workdir = built.workdir;
  req.limits = sandbox::Limits::defaults(sandbox::Profile::Compile);
  const bool cxx = spec.language == "c++";
  // -O0: every increment stays a load and a store, so a seeded yield between them shows a lost update (at
  // -O1 clang folds a loop of increments into one add). -gdwarf-aranges: libdw finds lines through them.
  req.argv = {cxx ? "clang++" : "clang", cxx ? "-std=gnu++20" : "-std=gnu17", "-O0", "-g", "-gdwarf-aranges", "-pthread",
              "-fsanitize=thread", "-fno-sanitize-link-runtime"};
  for (const auto& entry : fs::directory_iterator(built.workdir, ec))
    if (is_source(entry.path(), cxx)) req.argv.push_back("./" + entry.path().filename().string());
  req.argv.insert(req.argv.end(), {"./.xrace.a", "-o", spec.program + ".race"});
  req.argv.insert(req.argv.end(), spec.ldflags.begin(), spec.ldflags.end());
  auto outcome = sandbox::run(req);
  if (outcome && outcome->verdict == sandbox::Verdict::Ok && fs::is_regular_file(built.workdir / (spec.program + ".race"))) {
    built.race_program = built.workdir / (spec.program + ".race");
  } else {
    built.race_message = "the race build failed: " + (outcome ? outcome->out + outcome->err : outcome.error().message());
  }
  // ThreadSanitizer proper (Debian's runtime) finds races between threads in any memory.
  req.argv = {cxx ? "c++" : "cc", cxx ? "-std=gnu++20" : "-std=gnu17", "-O1", "-g", "-pthread", "-fsanitize=thread"};
  for (const auto& entry : fs::directory_iterator(built.workdir, ec))
    if (is_source(entry.path(), cxx)) req.argv.push_back("./" + entry.path().filename().string());
  req.argv.insert(req.argv.end(), {"-o", spec.program + ".tsan"});
  req.argv.insert(req.argv.end(), spec.ldflags.begin(), spec.ldflags.end());
  outcome = sandbox::run(req);
  if (outcome && outcome->verdict == sandbox::Verdict::Ok && fs::is_regular_file(built.workdir / (spec.program + ".tsan")))
    built.tsan_program = built.workdir / (spec.program + ".tsan");
}

}  // namespace shm::engine
