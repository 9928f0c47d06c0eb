// The sandbox's parts, one file each; supervisor.cpp composes them. Not included outside sandbox/.
#pragma once

#include <linux/filter.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "sandbox.hpp"

namespace shm::sandbox {

// user_ns.cpp — who the sandbox's root is outside: nobody (65534) when we are root, else ourselves.
struct IdMap {
  uid_t outside_uid;
  gid_t outside_gid;
};
IdMap choose_id_map();
Status write_id_maps(pid_t child, const IdMap& map);

// mount_ns.cpp — a new root: read-only system dirs, the work dir at /work, private /tmp, /dev, /dev/shm, /proc.
struct MountPlan {
  std::string workdir;  // host path of the work dir
  uint64_t shm_bytes, tmp_bytes;
  std::vector<std::string> read_only_dirs;  // absolute host dirs, bound read-only at the same paths
};
Status build_root(const MountPlan& plan);

// net_ns.cpp — loopback up, nothing else.
Status bring_up_loopback();

// ipc_ns.cpp — what the run left in its IPC namespace and /dev/shm, removed as it is listed.
std::vector<Leftover> remove_ipc_leftovers();

// cgroup.cpp — memory and pids limits through cgroup v2 or v1, whichever this host has.
struct CgroupStats {
  uint64_t peak_memory = 0;
  bool memory_limit_hit = false, process_limit_hit = false;
};
class Cgroup {
 public:
  static Result<Cgroup> create(const Limits& limits);
  Cgroup(Cgroup&& other) noexcept;
  Cgroup(const Cgroup&) = delete;
  ~Cgroup();  // removes the directories
  // The files a process writes "0" to in order to join (v1 `tasks`, v2 `cgroup.procs`), open for writing.
  // The sandbox's init joins itself through them (see join_cgroup).
  const std::vector<int>& join_files() const { return join_fds_; }
  CgroupStats stats() const;
  const std::string& version() const { return version_; }
  const std::vector<std::filesystem::path>& dirs() const { return dirs_; }

 private:
  Cgroup() = default;
  Status open_join_file(const std::filesystem::path& path);
  std::vector<std::filesystem::path> dirs_;  // one per hierarchy (v1: memory, pids; v2: one)
  std::vector<int> join_fds_;                // v1 `tasks` / v2 `cgroup.procs` of each, open for writing
  std::string version_;
};

// Move the calling process into the cgroup whose join files these are. A thread that writes "0" to v1's
// `tasks` moves itself without the global cgroup lock, whose RCU grace period made moving another
// process take up to 20 ms.
Status join_cgroup(const std::vector<int>& join_files);

// seccomp_policy.cpp — the allowlist, compiled to BPF by libseccomp (at build time, see tools/). The policies
// differ in which allowed calls stop for the tracer instead of running straight through: none (Plain); the
// calls whose refusal shows a limit enforced by rlimits (Watched, see trace/limit_watch.hpp); the calls of the
// trace table (Traced); both (TracedWatched).
enum class SeccompPolicy { Plain, Watched, Traced, TracedWatched };
constexpr SeccompPolicy kSeccompPolicies[] = {SeccompPolicy::Plain, SeccompPolicy::Watched, SeccompPolicy::Traced,
                                              SeccompPolicy::TracedWatched};
Result<std::vector<sock_filter>> compile_seccomp_policy(SeccompPolicy policy);
std::string syscall_name(int nr);
// Whether NAME is on the allowlist (every traced call must be: a test checks the syscall table against it).
bool seccomp_allows(const std::string& name);
// A call as the kernel reported it to seccomp: its name in its ABI, and the ABI ("x86_64", "i386", "x32").
struct SyscallId {
  std::string name;
  const char* abi;
};
SyscallId identify_syscall(uint32_t audit_arch, int nr);
// seccomp_load.cpp — load the build-time BPF; returns the user-notification fd that reports violations.
std::vector<sock_filter> built_seccomp_policy(SeccompPolicy policy);
Result<int> install_seccomp_policy(SeccompPolicy policy);

// caps.cpp — every capability dropped, no_new_privs set: the last step before the seccomp policy and exec.
Status drop_capabilities();

// limits applied as rlimits in the program's process (rlimits.cpp).
Status apply_rlimits(const Limits& limits, bool memory_by_cgroup, bool procs_by_cgroup);

// workdir.cpp — safe copy-in and the temporary work dir.
Status copy_submission(const std::filesystem::path& from, const std::filesystem::path& to);
Status hand_over(const std::filesystem::path& dir, uid_t uid, gid_t gid);  // chown -R without following links
// Whether the work dir holds more than CAP bytes: allocated blocks, each entry counting at least 1 KiB (so a
// million empty files count too). The walk stops as soon as it passes CAP.
bool disk_over(const std::filesystem::path& dir, uint64_t cap);

// fd_passing.cpp — over a unix socket: the cgroup's join files to init, the seccomp notification fd back.
Status send_fds(int sock, const std::vector<int>& fds);
Result<std::vector<int>> receive_fds(int sock);

}  // namespace shm::sandbox
