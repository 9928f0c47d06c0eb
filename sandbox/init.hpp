// What the supervisor hands the sandbox's init across clone(): descriptors, limits, the command.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "internal.hpp"

namespace shm::sandbox {

struct InitPlan {
  bool isolated = true;  // in new namespaces (false: the no-namespace fallback)
  bool user_ns = true;   // among them a user namespace
  MountPlan mounts{};
  std::string workdir;  // host path, for the fallback
  Limits limits;
  std::optional<IdMap> drop_to;  // become this user and group before exec (root without a user namespace)
  std::vector<std::string> argv;
  std::vector<std::string> env;  // NAME=VALUE, beyond the fixed PATH, HOME, TMPDIR and LANG
  bool trace = false;
  trace::TraceOptions trace_options;
  // control: "g" to go, "s" to stop. fd_sock: the cgroup's join files arrive on it (none: no cgroup), and
  // the program sends its seccomp notification fd back on it.
  int control_fd = -1, report_fd = -1, fd_sock = -1;
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
};

[[noreturn]] void run_init(const InitPlan& plan);

}  // namespace shm::sandbox
