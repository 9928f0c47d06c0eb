#include "sandbox_flags.hpp"
#include "files.hpp"
#include "text.hpp"
#include "validators.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace shm::cli {

namespace sb = shm::sandbox;

namespace {

int exit_status(const sb::Outcome& o) {
  switch (o.verdict) {
    case sb::Verdict::Ok:
    case sb::Verdict::RuntimeError: return o.exit_code;
    case sb::Verdict::Signal: return 128 + o.signal;
    case sb::Verdict::InternalError: return 3;
    case sb::Verdict::Violation:  // a denied call fails with EPERM; the program went on and ended by itself
      return o.signal ? 128 + o.signal : o.exit_code;
    default: return 124;  // a limit ended it
  }
}

}  // namespace

void add_sandbox_flags(CLI::App* command, SandboxFlags& flags) {
  for (const auto& spec : sb::limit_table()) {
    auto& value = flags.limit_values[size_t(spec.limit)];
    value = -1;
    std::string unit = *spec.unit ? std::string(" (") + spec.unit + ")" : "";
    std::ostringstream help;
    help << spec.help << unit << "; default " << double(spec.run_default) / double(spec.unit_scale)
         << ", compile profile " << double(spec.compile_default) / double(spec.unit_scale);
    command->add_option(std::string("--") + spec.flag, value, help.str())->check(positive_number());
  }
  command->add_option("--profile", flags.profile, "default limits: run or compile")
      ->check(CLI::IsMember({"run", "compile"}));
  command->add_option("--workdir", flags.workdir, "writable work dir and cwd (default: a fresh temporary dir)");
  command->add_flag("--keep", flags.keep, "keep the temporary work dir and print its path");
  command->add_option("--copy-in", flags.copy_in, "copy this submission directory into the work dir first");
  command->add_option("--read-only", flags.read_only_dirs,
                      "a host dir the program may read, at the same path (repeatable; as root it runs as nobody, "
                      "so the dir must be readable by others)")
      ->check(CLI::ExistingDirectory)
      ->allow_extra_args(false);
  command->add_option("--json", flags.json_path, "write the verdict record as JSON to this file");
  command->add_option("command", flags.command, "CMD ARGS... (after --)")->required();
}

sb::Request make_request(const SandboxFlags& flags) {
  sb::Request req;
  req.argv = flags.command;
  req.workdir = flags.workdir;
  req.keep_workdir = flags.keep;
  req.give_back_workdir = true;  // a user's --workdir is theirs again after the run
  req.copy_in = flags.copy_in;
  for (const auto& dir : flags.read_only_dirs) req.read_only_dirs.push_back(std::filesystem::absolute(dir).string());
  req.limits = sb::Limits::defaults(flags.profile == "compile" ? sb::Profile::Compile : sb::Profile::Run);
  for (const auto& spec : sb::limit_table())
    if (double v = flags.limit_values[size_t(spec.limit)]; v > 0)
      req.limits[spec.limit] = uint64_t(v * double(spec.unit_scale));
  return req;
}

int report_outcome(sb::Outcome outcome, const SandboxFlags& flags, ProgramCopy& copy, const std::string& who) {
  if (auto s = copy.finish(flags.keep); !s) {
    outcome.notes.push_back("could not remove the program's work dir: " + s.error().message());
    outcome.left_behind = true;
  }
  std::cout << outcome.out << std::flush;
  std::cerr << outcome.err;
  for (const auto& note : outcome.notes) std::cerr << who << ": note: " << note << "\n";
  // IPC objects the program made and never removed: the sandbox removed them with the run, but a program that
  // leaves them on a real machine fills /dev/shm and the System V tables.
  for (const auto& left : outcome.leftovers)
    std::cerr << who << ": left behind: " << left.kind << " " << left.name << " (" << left.size
              << " bytes), never removed by the program (the sandbox removed it)\n";
  if (outcome.out_truncated || outcome.err_truncated) std::cerr << who << ": output truncated at the limit\n";
  if (!sb::ended_by_itself(outcome.verdict))
    std::cerr << who << ": " << sb::verdict_name(outcome.verdict)
              << (outcome.error.empty() ? "" : ": " + outcome.error) << "\n";
  if (flags.keep && flags.workdir.empty()) std::cerr << who << ": work dir kept: " << outcome.workdir << "\n";
  if (!flags.json_path.empty())
    if (auto s = write_file_atomically(flags.json_path, json_text(sb::to_json(outcome), 2) + "\n"); !s) {
      std::cerr << who << ": cannot write the verdict record: " << s.error().message() << "\n";
      return 3;
    }
  return outcome.left_behind ? 3 : exit_status(outcome);
}

ProgramCopy::~ProgramCopy() {
  if (!dir.empty()) (void)remove_tree(dir);
}

Status ProgramCopy::finish(bool keep) {
  const std::string d = std::exchange(dir, "");
  return keep || d.empty() ? ok() : remove_tree(d);
}

Status stage_program(sb::Request& request, ProgramCopy& copy) {
  namespace fs = std::filesystem;
  if (!request.workdir.empty() || !request.copy_in.empty() || request.argv.empty()) return ok();
  const std::string& program = request.argv[0];
  if (program.find('/') == std::string::npos || sb::visible_inside(program)) return ok();
  auto made = make_temp_dir("prog");
  if (!made) return made.error();
  copy.dir = *made;
  const fs::path name = fs::path(program).filename();
  std::error_code ec;
  const fs::file_status st = fs::status(program, ec);
  if (!fs::exists(st)) return Error{program + ": no such file"};
  if (!fs::is_regular_file(st)) return Error{program + ": not a regular file"};
  fs::copy_file(program, copy.dir / name, ec);
  if (ec) return Error{"copy " + program + ": " + ec.message()};
  request.workdir = copy.dir;
  request.argv[0] = "./" + name.string();
  return ok();
}

}  // namespace shm::cli
