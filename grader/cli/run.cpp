// shmgrade run — run a command in the sandbox by hand, or from scripts. Flags come from the limits table.
#include "run.hpp"

#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "sandbox.hpp"

namespace shm::cli {

namespace sb = shm::sandbox;

namespace {

struct RunOptions {
  std::array<double, sb::kLimitCount> flag_values{};  // in each flag's unit; < 0 = default
  std::string workdir, json_path, copy_in, profile = "run";
  bool keep = false;
  std::vector<std::string> command;
};

nlohmann::json to_json(const sb::Outcome& o) {
  nlohmann::json violations = nlohmann::json::array(), leftovers = nlohmann::json::array();
  for (const auto& v : o.violations) violations.push_back({{"pid", v.pid}, {"syscall", v.syscall}});
  for (const auto& l : o.leftovers) leftovers.push_back({{"kind", l.kind}, {"name", l.name}, {"size", l.size}});
  nlohmann::json j = {{"verdict", sb::verdict_name(o.verdict)},
                      {"exit_code", o.exit_code >= 0 ? nlohmann::json(o.exit_code) : nlohmann::json(nullptr)},
                      {"signal", o.signal ? nlohmann::json(o.signal) : nlohmann::json(nullptr)},
                      {"wall_s", o.wall_s},
                      {"cpu_s", o.cpu_s},
                      {"peak_memory_bytes", o.peak_memory_bytes},
                      {"limit_hit", o.limit_hit.empty() ? nlohmann::json(nullptr) : nlohmann::json(o.limit_hit)},
                      {"violations", violations},
                      {"stdout_truncated", o.out_truncated},
                      {"stderr_truncated", o.err_truncated},
                      {"ipc_leftovers", leftovers},
                      {"workdir", o.workdir},
                      {"notes", o.notes}};
  if (!o.error.empty()) j["error"] = o.error;
  return j;
}

int exit_status(const sb::Outcome& o) {
  switch (o.verdict) {
    case sb::Verdict::Ok:
    case sb::Verdict::RuntimeError: return o.exit_code;
    case sb::Verdict::Signal: return 128 + o.signal;
    case sb::Verdict::InternalError: return 3;
    default: return 124;  // a limit or a violation ended it
  }
}

}  // namespace

void add_run_command(CLI::App& app, int& status) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand("run", "Run CMD in the sandbox: isolated, limited, nothing left behind");
  run->footer(
      "Exit status: the program's own; 128+N when signal N ended it; 124 when a limit or a seccomp violation\n"
      "ended it; 2 for a usage error or a refused submission; 3 for an internal error.");
  for (const auto& spec : sb::limit_table()) {
    auto& value = opts->flag_values[size_t(spec.limit)];
    value = -1;
    std::string unit = *spec.unit ? std::string(" (") + spec.unit + ")" : "";
    double run_default = double(spec.run_default) / double(spec.unit_scale);
    double compile_default = double(spec.compile_default) / double(spec.unit_scale);
    std::ostringstream help;
    help << spec.help << unit << "; default " << run_default << ", compile profile " << compile_default;
    run->add_option(std::string("--") + spec.flag, value, help.str())->check(CLI::PositiveNumber);
  }
  run->add_option("--profile", opts->profile, "default limits: run or compile")
      ->check(CLI::IsMember({"run", "compile"}));
  run->add_option("--workdir", opts->workdir, "writable work dir and cwd (default: a fresh temporary dir)");
  run->add_flag("--keep", opts->keep, "keep the temporary work dir and print its path");
  run->add_option("--copy-in", opts->copy_in, "copy this submission directory into the work dir first");
  run->add_option("--json", opts->json_path, "write the verdict record as JSON to this file");
  run->add_option("command", opts->command, "CMD ARGS... (after --)")->required();

  run->callback([opts, &status] {
    sb::Request req;
    req.argv = opts->command;
    req.workdir = opts->workdir;
    req.keep_workdir = opts->keep;
    req.copy_in = opts->copy_in;
    req.limits = sb::Limits::defaults(opts->profile == "compile" ? sb::Profile::Compile : sb::Profile::Run);
    for (const auto& spec : sb::limit_table())
      if (double v = opts->flag_values[size_t(spec.limit)]; v > 0) req.limits[spec.limit] = uint64_t(v * double(spec.unit_scale));

    auto outcome = sb::run(req);
    if (!outcome) {
      std::cerr << "shmgrade run: " << outcome.error().message() << "\n";
      status = 2;
      return;
    }
    std::cout << outcome->out << std::flush;
    std::cerr << outcome->err;
    for (const auto& note : outcome->notes) std::cerr << "shmgrade run: note: " << note << "\n";
    if (outcome->out_truncated || outcome->err_truncated) std::cerr << "shmgrade run: output truncated at the limit\n";
    if (outcome->verdict != sb::Verdict::Ok && outcome->verdict != sb::Verdict::RuntimeError)
      std::cerr << "shmgrade run: " << sb::verdict_name(outcome->verdict)
                << (outcome->error.empty() ? "" : ": " + outcome->error) << "\n";
    if (opts->keep && opts->workdir.empty()) std::cerr << "shmgrade run: work dir kept: " << outcome->workdir << "\n";
    if (!opts->json_path.empty()) {
      std::ofstream(opts->json_path) << to_json(*outcome).dump(2) << "\n";
    }
    status = exit_status(*outcome);
  });
}

}  // namespace shm::cli
