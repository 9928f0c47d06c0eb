// shmgrade gradescope-package ASSIGNMENT --out autograder.zip — Gradescope's autograder format: setup.sh and
// run_autograder at the zip's root, beside this shmgrade (the static binary and its runtime files, in the
// prefix layout it finds them in) and the assignment's spec. Gradescope unpacks the zip into
// /autograder/source, runs setup.sh once per image and run_autograder (as root) per submission; the
// sandbox runs the student's program as nobody.
#include "gradescope_package.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <iostream>

#define TOML_EXCEPTIONS 0
#include <toml++/toml.h>

#include "assignments.hpp"
#include "authoring.hpp"
#include "batch/late.hpp"
#include "files.hpp"
#include "runtime_files.hpp"

namespace shm::cli {

namespace fs = std::filesystem;

namespace {

// Debian and Ubuntu names of what student code is built and race-checked with, and the unpacker's library.
constexpr const char* kSetup = R"(#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder's image (Ubuntu): what shmgrade builds students'
# code with and race-checks it with. shmgrade itself is static and comes in this zip.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends gcc libc6-dev clang libtsan2 libarchive13 >/dev/null
)";

// SEED is filled in. A placeholder result goes first, then the tests ended so far after each one (--partial), so
// that a Gradescope timeout still shows what it can.
constexpr const char* kRunAutograder = R"(#!/usr/bin/env bash
# Gradescope runs this for each submission, as root; shmgrade's sandbox runs the student's code as nobody.
# SHMGRADE_AUTOGRADER_ROOT replaces /autograder (the tests run it in a temporary tree).
set -u
root="${SHMGRADE_AUTOGRADER_ROOT:-/autograder}"
source="$root/source"
results="$root/results/results.json"
mkdir -p "$root/results"
write_result() {  # SCORE OUTPUT: a whole results.json, written atomically
  printf '{"score": %s, "output": "%s", "tests": []}\n' "$1" "$2" > "$results.tmp" && mv "$results.tmp" "$results"
}
write_result 0 "The autograder was stopped before it finished (Gradescope's time limit?): ask your instructor."
late=()  # the package's late policy, applied to when submission_metadata.json says it was submitted
[ -f "$source/late/late.toml" ] && late=(--late "$source/late/late.toml" --submission-metadata "$root/submission_metadata.json")
"$source/shmgrade/bin/shmgrade" grade "$source/assignment" "$root/submission" --seed @SEED@ "${late[@]}" \
  --format gradescope --out "$results" --partial
status=$?
[ "$status" -le 1 ] && exit 0  # graded, at full marks or not
write_result 0 "shmgrade could not grade this submission (exit status $status): ask your instructor."
exit "$status"
)";

Status copy_into(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to.parent_path(), ec);
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) return Error{"copy " + from.string() + " to the package: " + ec.message()};
  return ok();
}

Status write_script(const fs::path& path, const std::string& text) {
  if (auto w = write_file_atomically(path, text); !w) return w;
  chmod(path.c_str(), 0755);
  return ok();
}

// A tool from PATH run to its end: its exit status (127: not found; -1: it could not be started or waited for).
int run_tool(const std::vector<std::string>& argv) {
  const pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// The zip of STAGE's contents, by bsdtar (libarchive-tools): a zip writer is libarchive's job, not ours.
Status zip_folder(const fs::path& stage, const fs::path& out) {
  const fs::path partial = out.string() + ".partial";
  if (const int status = run_tool({"bsdtar", "--format", "zip", "-cf", partial.string(), "-C", stage.string(), "."}); status != 0) {
    std::error_code ec;
    fs::remove(partial, ec);
    return Error{status == 127 ? "bsdtar is missing (Debian: libarchive-tools)" : "bsdtar could not write " + partial.string()};
  }
  if (rename(partial.c_str(), out.c_str()) < 0) return errno_error("rename to " + out.string());
  return ok();
}

// The policy and its extensions file (a path relative to the policy, inside its folder) into STAGE/late/.
Status copy_late_policy(const fs::path& policy, const fs::path& stage) {
  if (auto checked = batch::read_late_policy(policy); !checked) return checked.error();
  if (auto c = copy_into(policy, stage / "late/late.toml"); !c) return c;
  auto parsed = toml::parse_file(policy.string());
  const auto extensions = parsed ? parsed.table()["extensions"].value<std::string>() : std::nullopt;
  if (!extensions) return ok();
  const fs::path relative = fs::path(*extensions).lexically_normal();
  if (relative.is_absolute() || relative.string().rfind("..", 0) == 0)
    return Error{policy.string() + ": extensions must lie beside the policy to be packaged: " + *extensions};
  return copy_into(policy.parent_path() / relative, stage / "late" / relative);
}

Status make_package(const fs::path& assignment_dir, uint64_t seed, const fs::path& late, const fs::path& out) {
  auto stage = TempTree::make("gradescope");
  if (!stage) return stage.error();
  const fs::path s = stage->path();
  std::error_code ec;
  const std::pair<fs::path, fs::path> files[] = {
      {fs::read_symlink("/proc/self/exe", ec), s / "shmgrade/bin/shmgrade"},
      {runtime_file(RuntimeFile::Probe), s / "shmgrade/lib/shmgrade/shmgrade_probe.so"},
      {runtime_file(RuntimeFile::Xrace), s / "shmgrade/lib/shmgrade/libxrace.a"},
      {runtime_file(RuntimeFile::Unpack), s / "shmgrade/lib/shmgrade/shmgrade-unpack"},
  };
  for (const auto& [from, to] : files)
    if (auto c = copy_into(from, to); !c) return c;
  // Without its debug information the static binary is a tenth of the size (an upload, unpacked per image);
  // where binutils' strip is missing it goes as it is.
  (void)run_tool({"strip", "--strip-debug", (s / "shmgrade/bin/shmgrade").string()});
  // The assignment without its samples and bundled class: other students' code never ships to Gradescope.
  for (const auto& entry : fs::directory_iterator(assignment_dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name == "samples" || name == "class") continue;
    if (auto c = copy_into(entry.path(), s / "assignment" / name); !c) return c;
  }
  if (!late.empty())
    if (auto c = copy_late_policy(late, s); !c) return c;
  std::string run = kRunAutograder;
  run.replace(run.find("@SEED@"), 6, std::to_string(seed));
  if (auto w = write_script(s / "setup.sh", kSetup); !w) return w;
  if (auto w = write_script(s / "run_autograder", run); !w) return w;
  return zip_folder(s, fs::absolute(out, ec));
}

}  // namespace

void add_gradescope_package_command(CLI::App& app, int& status) {
  struct Flags {
    AssignmentFlags assignment;
    std::string out = "autograder.zip", late;
  };
  auto flags = std::make_shared<Flags>();
  CLI::App* command = app.add_subcommand("gradescope-package", "Make Gradescope's autograder.zip for an assignment");
  command->footer(
      "The zip holds setup.sh (apt-get installs the compilers), run_autograder (grades /autograder/submission\n"
      "into /autograder/results/results.json: a placeholder first, then the tests ended so far after each one, so\n"
      "a time limit that cuts the run short leaves them), this shmgrade with its runtime files, and\n"
      "the assignment without samples/ and class/. It is made only for an assignment that verifies (see verify).\n"
      "Exit status: 0 written; 1 the assignment does not verify; 2 usage or spec error; 3 not written.");
  add_assignment_flags(command, flags->assignment);
  command->add_option("--out", flags->out, "the zip to write (default: autograder.zip)");
  command->add_option("--late", flags->late,
                      "a late policy (as batch's) applied to when submission_metadata.json says it was submitted");
  command->callback([flags, &status] {
    auto spec = load_spec(flags->assignment, "shmgrade gradescope-package", status);
    if (!spec) return;
    const fs::path dir = resolve_assignment(flags->assignment.assignment, flags->assignment.assignments_dir);
    if (int verified = verify_assignment(dir.string(), flags->assignment.seed, "shmgrade gradescope-package"); verified) {
      std::cerr << "shmgrade gradescope-package: " << dir.string() << " does not verify: no package written\n";
      status = verified;
      return;
    }
    if (auto made = make_package(dir, flags->assignment.seed, flags->late, flags->out); !made) {
      std::cerr << "shmgrade gradescope-package: " << made.error().message() << "\n";
      status = 3;
      return;
    }
    std::cout << flags->out << ": " << spec->name << " for Gradescope (seed " << flags->assignment.seed << ")\n";
  });
}

}  // namespace shm::cli
