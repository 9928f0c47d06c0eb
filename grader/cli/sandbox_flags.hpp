// What `run` and `trace` share: the sandbox's flags (from the limits table), the request they make, how
// an outcome is shown, and the exit status it maps to.
#pragma once

#include <CLI/CLI.hpp>

#include <array>
#include <string>
#include <vector>

#include "sandbox.hpp"

namespace shm::cli {

struct SandboxFlags {
  std::array<double, sandbox::kLimitCount> limit_values{};  // in each flag's unit; < 0 = the profile's default
  std::string workdir, json_path, copy_in, profile = "run";
  bool keep = false;
  std::vector<std::string> read_only_dirs;
  std::vector<std::string> command;
};

// The flags run and trace share, each with one meaning in both: the limit table's (--time, --memory, --output
// KiB, ...), the work dir's, and --json FILE for the verdict record.
void add_sandbox_flags(CLI::App* command, SandboxFlags& flags);
sandbox::Request make_request(const SandboxFlags& flags);

// `shmgrade run|trace -- build/prog`: the sandbox shows only the system dirs and its work dir, so a program
// named by a path it cannot see is copied alone into a fresh work dir (when none was given), which this
// removes when it goes.
struct ProgramCopy {
  std::string dir;
  ProgramCopy() = default;
  ProgramCopy(const ProgramCopy&) = delete;
  ProgramCopy& operator=(const ProgramCopy&) = delete;
  ~ProgramCopy();
  Status finish(bool keep);  // removes the dir now, unless KEEP: what could not be removed is an error
};
Status stage_program(sandbox::Request& request, ProgramCopy& copy);
// Finish the program's copy (kept with --keep), pass the program's output through, then shmgrade's notes and
// verdict on stderr (prefixed with WHO), and the verdict record to --json. Returns the exit status: the
// program's own (after a violation too: a denied call fails, it does not end the program), 128+N for signal
// N, 124 when a limit ended it, 3 for an internal error, for anything of the run left on the host, or when
// the record cannot be written.
int report_outcome(sandbox::Outcome outcome, const SandboxFlags& flags, ProgramCopy& copy, const std::string& who);

}  // namespace shm::cli
