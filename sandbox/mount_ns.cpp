// Mount namespace: the program sees a new root built on a tmpfs, holding only
//   /usr /bin /sbin /lib* (read-only binds, or the same symlinks on a merged-/usr system),
//   /etc with only what compilers and the dynamic loader read (no passwd hashes, no keys),
//   /work (the work dir, writable), /tmp and /dev/shm (private tmpfs, size-capped),
//   /dev with null, zero, urandom, random, and /proc of the new pid namespace with the host's details masked.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "internal.hpp"

namespace shm::sandbox {

namespace {

constexpr const char* kRoot = "/tmp/shmgrade-root";

const char* const kSystemDirs[] = {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"};
// /etc entries a compiler, the dynamic loader and libc need; everything else in /etc stays out.
const char* const kEtcEntries[] = {"/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/alternatives",
                                   "/etc/localtime", "/etc/nsswitch.conf", "/etc/hosts", "/etc/os-release"};
const char* const kDevices[] = {"/dev/null", "/dev/zero", "/dev/urandom", "/dev/random"};
// /proc paths that show the host or reach its kernel, as container runtimes treat them (Docker's defaults,
// plus /proc/cmdline, the host kernel's command line): masked ones read as empty, the others read-only.
const char* const kMaskedProc[] = {"/proc/asound", "/proc/acpi", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
                                   "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
                                   "/proc/cmdline"};
const char* const kReadOnlyProc[] = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};

Status mount_or_error(const char* src, const std::string& target, const char* type, unsigned long flags,
                      const std::string& data = {}) {
  if (mount(src, target.c_str(), type, flags, data.empty() ? nullptr : data.c_str()) < 0)
    return errno_error(std::string("mount ") + (type ? type : src) + " on " + target);
  return ok();
}

// A bind mount, then a read-only remount keeping the flags the kernel locked on the original (a user
// namespace may not clear nosuid/nodev/noexec it inherited).
Status bind(const std::string& src, const std::string& target, bool read_only) {
  if (auto s = mount_or_error(src.c_str(), target, nullptr, MS_BIND | MS_REC); !s) return s;
  if (!read_only) return ok();
  struct statvfs vfs{};
  statvfs(target.c_str(), &vfs);
  unsigned long locked = vfs.f_flag & (ST_NOSUID | ST_NODEV | ST_NOEXEC | ST_NOATIME | ST_NODIRATIME | ST_RELATIME);
  return mount_or_error(nullptr, target, nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | locked);
}

// Mirror a host path into the new root: a symlink stays a symlink, a dir or file is bound, read-only unless
// it is a device node (a read-only mount would not stop writes to one anyway; skipping it saves a remount).
Status mirror(const std::string& host_path) {
  struct stat st{};
  if (lstat(host_path.c_str(), &st) < 0) return ok();  // not on this host: nothing to mirror
  const std::string target = kRoot + host_path;
  if (S_ISLNK(st.st_mode)) {
    char link[4096];
    ssize_t n = readlink(host_path.c_str(), link, sizeof link - 1);
    if (n < 0) return errno_error("readlink " + host_path);
    link[n] = '\0';
    if (symlink(link, target.c_str()) < 0) return errno_error("symlink " + target);
    return ok();
  }
  if (S_ISDIR(st.st_mode)) {
    if (mkdir(target.c_str(), 0755) < 0) return errno_error("mkdir " + target);
  } else {
    int fd = open(target.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return errno_error("create " + target);
    close(fd);
  }
  return bind(host_path, target, !S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode));
}

Status make_dir(const std::string& path, mode_t mode) {
  if (mkdir(path.c_str(), mode) < 0 && errno != EEXIST) return errno_error("mkdir " + path);
  chmod(path.c_str(), mode);  // mkdir applies the umask
  return ok();
}

Status build_dev() {
  const std::string dev = std::string(kRoot) + "/dev";
  if (auto s = make_dir(dev, 0755); !s) return s;
  if (auto s = mount_or_error("tmpfs", dev, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=64k,mode=755"); !s) return s;
  for (const char* device : kDevices)
    if (auto s = mirror(device); !s) return s;
  for (auto [link, to] : {std::pair{"/fd", "/proc/self/fd"}, {"/stdin", "/proc/self/fd/0"},
                          {"/stdout", "/proc/self/fd/1"}, {"/stderr", "/proc/self/fd/2"}})
    if (symlink(to, (dev + link).c_str()) < 0) return errno_error("symlink /dev" + std::string(link));
  if (auto s = make_dir(dev + "/mqueue", 0755); !s) return s;
  mount("mqueue", (dev + "/mqueue").c_str(), "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr);  // optional
  return make_dir(dev + "/shm", 01777);
}

// Masks and read-only binds over the new root's /proc (before pivot_root: the paths are under ROOT).
Status mask_proc(const std::string& root) {
  for (const char* path : kMaskedProc) {
    const std::string target = root + path;
    struct stat st{};
    if (lstat(target.c_str(), &st) < 0) continue;  // not on this kernel
    auto s = S_ISDIR(st.st_mode) ? mount_or_error("tmpfs", target, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=0")
                                 : mount_or_error((root + "/dev/null").c_str(), target, nullptr, MS_BIND);
    if (!s) return s;
  }
  for (const char* path : kReadOnlyProc) {
    const std::string target = root + path;
    if (access(target.c_str(), F_OK) < 0) continue;
    if (auto s = bind(target, target, true); !s) return s;
  }
  return ok();
}

// A helper's read-only dirs, held by descriptor before /tmp is covered (a clone under /tmp would vanish).
struct HeldDir {
  std::string path;
  int fd;
};

Result<std::vector<HeldDir>> hold_read_only_dirs(const std::vector<std::string>& dirs) {
  std::vector<HeldDir> held;
  for (const auto& dir : dirs) {
    const std::string path = std::filesystem::path(dir).lexically_normal().string();
    if (path.size() < 2 || path[0] != '/' || path.rfind("/proc", 0) == 0 || path.rfind("/dev", 0) == 0)
      return Error{"a read-only dir must be an absolute path outside /proc and /dev: " + dir};
    const int fd = open(path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return errno_error("open read-only dir " + path);
    held.push_back({path, fd});
  }
  return held;
}

Status bind_held_dirs(const std::string& root, const std::vector<HeldDir>& held) {
  for (const auto& dir : held) {
    std::error_code ec;
    std::filesystem::create_directories(root + dir.path, ec);
    if (ec) return Error{"mkdir " + root + dir.path, ec.value()};
    Status s = sandbox::bind("/proc/self/fd/" + std::to_string(dir.fd), root + dir.path, true);
    close(dir.fd);
    if (!s) return s;
  }
  return ok();
}

}  // namespace

Status build_root(const MountPlan& plan) {
  const std::string root = kRoot;
  // Nothing we mount from here on propagates back to the host.
  if (auto s = mount_or_error(nullptr, "/", nullptr, MS_REC | MS_PRIVATE); !s) return s;
  // The work dir may live under /tmp, which the next step covers: hold it by descriptor first.
  const int workdir_fd = open(plan.workdir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (workdir_fd < 0) return errno_error("open work dir " + plan.workdir);
  auto read_only_dirs = hold_read_only_dirs(plan.read_only_dirs);
  if (!read_only_dirs) return read_only_dirs.error();
  // A private tmpfs over /tmp holds the new root's mount point, so nothing is created in the host's /tmp.
  if (auto s = mount_or_error("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=755"); !s) return s;
  if (auto s = make_dir(root, 0755); !s) return s;
  if (auto s = mount_or_error("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=755"); !s) return s;

  for (const char* dir : kSystemDirs)
    if (auto s = mirror(dir); !s) return s;
  if (auto s = make_dir(root + "/etc", 0755); !s) return s;
  for (const char* entry : kEtcEntries)
    if (auto s = mirror(entry); !s) return s;

  if (auto s = make_dir(root + "/work", 0755); !s) return s;
  const std::string workdir_src = "/proc/self/fd/" + std::to_string(workdir_fd);
  auto bound = mount_or_error(workdir_src.c_str(), root + "/work", nullptr, MS_BIND);
  close(workdir_fd);
  if (!bound) return bound;
  mount(nullptr, (root + "/work").c_str(), nullptr, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV, nullptr);

  if (auto s = make_dir(root + "/tmp", 01777); !s) return s;
  if (auto s = mount_or_error("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV,
                              "mode=1777,size=" + std::to_string(plan.tmp_bytes));
      !s)
    return s;
  if (auto s = build_dev(); !s) return s;
  if (auto s = mount_or_error("tmpfs", root + "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV,
                              "mode=1777,size=" + std::to_string(plan.shm_bytes));
      !s)
    return s;
  if (auto s = make_dir(root + "/proc", 0555); !s) return s;
  if (auto s = mount_or_error("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC); !s) return s;
  if (auto s = mask_proc(root); !s) return s;
  if (auto s = bind_held_dirs(root, *read_only_dirs); !s) return s;

  // Switch roots and drop every trace of the host's tree.
  if (auto s = make_dir(root + "/.old", 0700); !s) return s;
  if (syscall(SYS_pivot_root, root.c_str(), (root + "/.old").c_str()) < 0) return errno_error("pivot_root");
  if (chdir("/") < 0) return errno_error("chdir /");
  if (umount2("/.old", MNT_DETACH) < 0) return errno_error("umount /.old");
  rmdir("/.old");
  // The root tmpfs itself becomes read-only: new top-level entries are refused.
  mount(nullptr, "/", nullptr, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, nullptr);
  return ok();
}

bool visible_inside(const std::string& host_path) {
  const std::string path = std::filesystem::path(host_path).lexically_normal().string();
  for (const char* dir : kSystemDirs)
    if (path.rfind(std::string(dir) + "/", 0) == 0) return true;
  return false;
}

}  // namespace shm::sandbox
