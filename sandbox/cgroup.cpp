// Memory and process limits for the whole run, through whichever cgroup hierarchy this host offers:
// cgroup v2 when one hierarchy has both the memory and pids controllers, else v1's memory and pids
// hierarchies. The run's cgroup is created under our own, so a delegated subtree works too.
// Each run is also its own CPU group where the cpu controller is there (v2: enabled for our subtree; v1: its
// hierarchy): the scheduler then shares the CPUs between runs, not between processes, so a fork bomb's 64
// processes get no more than a two-process solution graded beside it, whose time limit stays its own.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "files.hpp"
#include "internal.hpp"

namespace shm::sandbox {

namespace fs = std::filesystem;

namespace {

std::string read_text(const fs::path& path) {
  auto text = read_whole_file(path);
  return text ? std::move(*text) : std::string();
}

// "key value" lines (memory.events, pids.events, memory.oom_control): the value of KEY, or 0.
uint64_t keyed_value(const fs::path& path, const std::string& key) {
  std::istringstream in(read_text(path));
  std::string k;
  uint64_t v;
  while (in >> k >> v)
    if (k == key) return v;
  return 0;
}

uint64_t number(const fs::path& path) {
  uint64_t v = 0;
  std::ifstream(path) >> v;
  return v;
}

// Our own cgroup path in hierarchy ID ("0" for v2) or with controller NAME, from /proc/self/cgroup.
std::string own_path(const std::string& controller) {
  std::istringstream in(read_text("/proc/self/cgroup"));
  std::string line;
  while (std::getline(in, line)) {
    auto a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1);
    bool match = controller.empty() ? line.substr(0, a) == "0" : ("," + controllers + ",").find("," + controller + ",") != std::string::npos;
    if (match) return line.substr(b + 1);
  }
  return {};
}

// Mount points of cgroup2 and of each v1 controller, from /proc/self/mounts.
struct Mounts {
  std::string v2;
  std::string memory, pids, cpu;
};
Mounts find_mounts() {
  Mounts m;
  std::istringstream in(read_text("/proc/self/mounts"));
  std::string dev, dir, type, opts, rest;
  while (in >> dev >> dir >> type >> opts && std::getline(in, rest)) {
    if (type == "cgroup2" && m.v2.empty()) m.v2 = dir;
    if (type != "cgroup") continue;
    std::string o = "," + opts + ",";
    if (o.find(",memory,") != std::string::npos) m.memory = dir;
    if (o.find(",pids,") != std::string::npos) m.pids = dir;
    if (o.find(",cpu,") != std::string::npos) m.cpu = dir;
  }
  return m;
}

std::string unique_name() {
  static std::atomic<int> counter{0};
  return "shmgrade-" + std::to_string(getpid()) + "-" + std::to_string(counter++);
}

// A run's group outlives a supervisor killed with SIGKILL (a batch stopped, a platform's time limit): empty, it
// is left under the name of a pid the kernel will hand out again, and a later process with that pid would find
// its group's name taken. So the groups of processes that no longer exist are removed, once per process and
// hierarchy (rmdir removes only an empty group: a live run's stays).
void remove_stale_groups(const fs::path& parent) {
  static std::mutex swept_lock;
  static std::set<std::string> swept;
  static pid_t swept_by = 0;  // a forked child sweeps for itself
  {
    std::lock_guard<std::mutex> hold(swept_lock);
    if (swept_by != getpid()) swept.clear(), swept_by = getpid();
    if (!swept.insert(parent.string()).second) return;
  }
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    if (name.rfind("shmgrade-", 0) != 0) continue;
    const pid_t pid = pid_t(atol(name.c_str() + 9));
    if (pid > 0 && kill(pid, 0) < 0 && errno == ESRCH) rmdir(e.path().c_str());
  }
}

// Makes the group DIR: a stale one by that name (see remove_stale_groups) is removed first.
int make_group(const fs::path& dir) {
  remove_stale_groups(dir.parent_path());
  if (mkdir(dir.c_str(), 0755) == 0) return 0;
  if (errno != EEXIST) return -1;
  if (rmdir(dir.c_str()) < 0) {  // not empty: a live run's, never ours to remove
    errno = EEXIST;
    return -1;
  }
  return mkdir(dir.c_str(), 0755);
}

}  // namespace

Result<Cgroup> Cgroup::create(const Limits& limits) {
  const Mounts mounts = find_mounts();
  const std::string name = unique_name();
  const std::string memory = std::to_string(limits[Limit::Memory]), pids = std::to_string(limits[Limit::Processes]);
  Cgroup group;

  if (!mounts.v2.empty()) {
    fs::path parent = fs::path(mounts.v2) / fs::path(own_path("")).relative_path();
    std::string controllers = read_text(parent / "cgroup.subtree_control");
    if (controllers.find("memory") != std::string::npos && controllers.find("pids") != std::string::npos) {
      fs::path dir = parent / name;
      if (make_group(dir) == 0) {
        group.dirs_.push_back(dir);
        group.version_ = "v2";
        if (auto s = write_kernel_file(dir / "memory.max", memory); !s) return s.error();
        (void)write_kernel_file(dir / "memory.swap.max", "0");  // absent without swap
        if (auto s = write_kernel_file(dir / "pids.max", pids); !s) return s.error();
        if (auto s = group.open_join_file(dir / "cgroup.procs"); !s) return s.error();
        return group;
      }
    }
  }
  if (mounts.memory.empty() || mounts.pids.empty())
    return Error{"no cgroup hierarchy with the memory and pids controllers is mounted"};
  fs::path memory_dir = fs::path(mounts.memory) / fs::path(own_path("memory")).relative_path() / name;
  fs::path pids_dir = fs::path(mounts.pids) / fs::path(own_path("pids")).relative_path() / name;
  for (const auto& dir : {memory_dir, pids_dir}) {
    if (make_group(dir) < 0) return errno_error("mkdir " + dir.string());
    group.dirs_.push_back(dir);
  }
  group.version_ = "v1";
  if (auto s = write_kernel_file(memory_dir / "memory.limit_in_bytes", memory); !s) return s.error();
  (void)write_kernel_file(memory_dir / "memory.memsw.limit_in_bytes", memory);  // absent without swap accounting
  if (auto s = write_kernel_file(pids_dir / "pids.max", pids); !s) return s.error();
  if (!mounts.cpu.empty()) {  // optional: fairness between runs, not a limit
    fs::path cpu_dir = fs::path(mounts.cpu) / fs::path(own_path("cpu")).relative_path() / name;
    if (make_group(cpu_dir) == 0) group.dirs_.push_back(cpu_dir);
  }
  for (const auto& dir : group.dirs_)
    if (auto s = group.open_join_file(dir / "tasks"); !s) return s.error();
  return group;
}

Cgroup::Cgroup(Cgroup&& other) noexcept
    : dirs_(std::move(other.dirs_)), join_fds_(std::move(other.join_fds_)), version_(std::move(other.version_)) {
  other.dirs_.clear();
  other.join_fds_.clear();
}

Status Cgroup::open_join_file(const fs::path& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return errno_error("open " + path.string());
  join_fds_.push_back(fd);
  return ok();
}

Cgroup::~Cgroup() {
  for (int fd : join_fds_) close(fd);
  // The run's processes are gone by now, but the kernel may take a moment to release the last one.
  for (const auto& dir : dirs_)
    for (int attempt = 0; attempt < 5000 && rmdir(dir.c_str()) < 0 && errno == EBUSY; attempt++)
      std::this_thread::sleep_for(std::chrono::microseconds(200));
}

Status join_cgroup(const std::vector<int>& join_files) {
  for (int fd : join_files)
    if (write(fd, "0", 1) != 1) return errno_error("join the run's cgroup");
  return ok();
}

CgroupStats Cgroup::stats() const {
  CgroupStats stats;
  if (version_ == "v2") {
    const auto& dir = dirs_[0];
    stats.peak_memory = number(dir / "memory.peak");
    stats.memory_limit_hit = keyed_value(dir / "memory.events", "oom_kill") > 0;
    stats.process_limit_hit = keyed_value(dir / "pids.events", "max") > 0;
  } else if (version_ == "v1") {
    stats.peak_memory = number(dirs_[0] / "memory.max_usage_in_bytes");
    stats.memory_limit_hit = keyed_value(dirs_[0] / "memory.oom_control", "oom_kill") > 0;
    stats.process_limit_hit = keyed_value(dirs_[1] / "pids.events", "max") > 0;
  }
  return stats;
}

}  // namespace shm::sandbox
