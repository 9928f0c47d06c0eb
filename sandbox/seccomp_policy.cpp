// The seccomp policy: an allowlist fit for compilers and shared-memory programs, compiled to BPF by
// libseccomp at build time (tools/seccomp_bpf_gen) so that no run pays for the compilation. A call on no list is
// refused with EPERM and reported to the supervisor (user notification) as a violation; network sockets
// get EACCES; clone3 gets ENOSYS so that glibc falls back to clone, whose flags the filter can see.
#include <linux/audit.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <sys/socket.h>

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "internal.hpp"
#include "trace/limit_watch.hpp"
#include "trace/syscall_table.hpp"

namespace shm::sandbox {

namespace {

// clang-format off
const char* const kAllowed[] = {
  // files and descriptors
  "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "preadv2", "pwritev2",
  "open", "openat", "openat2", "creat", "close", "close_range", "stat", "fstat", "lstat", "newfstatat", "statx",
  "statfs", "fstatfs", "access", "faccessat", "faccessat2", "lseek", "getdents", "getdents64", "readlink",
  "readlinkat", "mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat", "renameat2", "link",
  "linkat", "symlink", "symlinkat", "chmod", "fchmod", "fchmodat", "chown", "fchown", "lchown", "fchownat",
  "umask", "truncate", "ftruncate", "fsync", "fdatasync", "sync_file_range", "fallocate", "fadvise64", "utime",
  "utimes", "utimensat", "futimesat", "dup", "dup2", "dup3", "fcntl", "flock", "pipe", "pipe2", "ioctl", "getcwd",
  "chdir", "fchdir", "sendfile", "copy_file_range", "splice", "tee", "poll", "ppoll", "select", "pselect6",
  "epoll_create", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait", "epoll_pwait2", "eventfd",
  "eventfd2", "signalfd", "signalfd4", "timerfd_create", "timerfd_settime", "timerfd_gettime", "memfd_create",
  "inotify_init", "inotify_init1", "inotify_add_watch", "inotify_rm_watch", "getxattr", "lgetxattr", "fgetxattr",
  "listxattr", "llistxattr", "flistxattr",
  // memory
  "mmap", "munmap", "mremap", "mprotect", "msync", "madvise", "mincore", "mlock", "mlock2", "munlock", "brk",
  "membarrier", "pkey_alloc", "pkey_free", "pkey_mprotect",  // protection keys: V8 (node) asks for one
  // processes, threads, time, signals
  "fork", "vfork", "execve", "execveat", "exit", "exit_group", "wait4", "waitid", "kill", "tkill", "tgkill",
  "getpid", "getppid", "gettid", "getpgid", "setpgid", "getpgrp", "setsid", "getsid", "getuid", "geteuid",
  "getgid", "getegid", "getresuid", "getresgid", "getgroups", "capget", "prctl", "arch_prctl", "set_tid_address",
  "set_robust_list", "get_robust_list", "rseq", "futex", "futex_waitv", "sched_yield", "sched_getaffinity",
  "sched_setaffinity", "sched_getparam", "sched_getscheduler", "sched_get_priority_max",
  "sched_get_priority_min", "getpriority", "setpriority", "nanosleep", "clock_nanosleep", "clock_gettime",
  "clock_getres", "gettimeofday", "time", "getrlimit", "setrlimit", "prlimit64", "getrusage", "times",
  "sysinfo", "uname", "getrandom", "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "rt_sigsuspend",
  "rt_sigpending", "rt_sigtimedwait", "rt_sigqueueinfo", "sigaltstack", "pause", "alarm", "setitimer",
  "getitimer", "timer_create", "timer_settime", "timer_gettime", "timer_delete", "timer_getoverrun",
  "restart_syscall", "getcpu", "pidfd_open", "pidfd_send_signal",
  // System V and POSIX IPC
  "shmget", "shmat", "shmdt", "shmctl", "semget", "semop", "semtimedop", "semctl", "msgget", "msgsnd", "msgrcv",
  "msgctl", "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify", "mq_getsetattr",
  // sockets (socket itself is filtered by family below)
  "socketpair", "connect", "bind", "listen", "accept", "accept4", "sendto", "recvfrom", "sendmsg", "recvmsg",
  "sendmmsg", "recvmmsg", "shutdown", "getsockname", "getpeername", "setsockopt", "getsockopt",
};
// clang-format on

constexpr uint64_t kForbiddenCloneFlags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID |
                                          CLONE_NEWNET | CLONE_NEWCGROUP | CLONE_NEWTIME | CLONE_UNTRACED;

struct Filter {
  scmp_filter_ctx ctx;
  ~Filter() {
    if (ctx) seccomp_release(ctx);
  }
};

Error seccomp_error(const std::string& what, int rc) { return Error{"seccomp: " + what, -rc}; }

bool stops_for_tracer(SeccompPolicy policy, int nr) {
  using P = SeccompPolicy;
  const bool traced = policy == P::Traced || policy == P::TracedWatched;
  const bool watched = policy == P::Watched || policy == P::TracedWatched;
  return (watched && trace::is_limit_call(nr)) || (traced && trace::find_syscall(nr));
}

}  // namespace

bool seccomp_allows(const std::string& name) {
  return std::find(std::begin(kAllowed), std::end(kAllowed), name) != std::end(kAllowed);
}

std::string syscall_name(int nr) { return identify_syscall(AUDIT_ARCH_X86_64, nr).name; }

SyscallId identify_syscall(uint32_t audit_arch, int nr) {
  // The kernel reports x32 calls as x86_64 ones whose number carries the x32 bit.
  constexpr int kX32Bit = 0x40000000;
  uint32_t arch = SCMP_ARCH_NATIVE;
  const char* abi = "x86_64";
  if (audit_arch == AUDIT_ARCH_I386) arch = SCMP_ARCH_X86, abi = "i386";
  else if (audit_arch == AUDIT_ARCH_X86_64 && (nr & kX32Bit)) arch = SCMP_ARCH_X32, abi = "x32";
  else if (audit_arch != AUDIT_ARCH_X86_64) abi = "unknown";
  char* name = seccomp_syscall_resolve_num_arch(arch, nr);
  SyscallId id{name ? name : "syscall " + std::to_string(nr & ~kX32Bit), abi};
  free(name);
  return id;
}

Result<std::vector<sock_filter>> compile_seccomp_policy(SeccompPolicy policy) {
  Filter f{seccomp_init(SCMP_ACT_NOTIFY)};
  if (!f.ctx) return Error{"seccomp_init failed"};
  // A binary tree of syscall numbers rather than a chain: each call is decided in ~log2(n) jumps, and the
  // kernel's per-syscall action cache, computed by running the filter for every number at load, is quick.
  if (int rc = seccomp_attr_set(f.ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2); rc < 0) return seccomp_error("optimize", rc);
  // A call through another ABI (i386's int 0x80, x32's numbers) is refused and recorded like any other
  // violation, rather than killing the program with SIGSYS and leaving no record.
  if (int rc = seccomp_attr_set(f.ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_NOTIFY); rc < 0)
    return seccomp_error("bad-arch action", rc);
  for (const char* name : kAllowed) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not on this architecture
    // The tracer's calls stop for it (SECCOMP_RET_TRACE); everything else runs without a stop.
    const uint32_t action = stops_for_tracer(policy, nr) ? SCMP_ACT_TRACE(0) : SCMP_ACT_ALLOW;
    if (int rc = seccomp_rule_add(f.ctx, action, nr, 0); rc < 0) return seccomp_error(name, rc);
  }
  const uint32_t clone_action = stops_for_tracer(policy, SCMP_SYS(clone)) ? SCMP_ACT_TRACE(0) : SCMP_ACT_ALLOW;
  int rc = seccomp_rule_add(f.ctx, clone_action, SCMP_SYS(clone), 1,
                            SCMP_A0(SCMP_CMP_MASKED_EQ, kForbiddenCloneFlags, 0));
  if (rc == 0) rc = seccomp_rule_add(f.ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
  if (rc == 0) rc = seccomp_rule_add(f.ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
  if (rc == 0)
    rc = seccomp_rule_add(f.ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socket), 1, SCMP_A0(SCMP_CMP_NE, AF_UNIX));
  if (rc < 0) return seccomp_error("clone/socket rules", rc);

  // libseccomp writes the program to a descriptor; a memfd gives it back as bytes.
  int fd = memfd_create("seccomp-bpf", MFD_CLOEXEC);
  if (fd < 0) return errno_error("memfd_create");
  std::vector<sock_filter> program;
  if (int rc2 = seccomp_export_bpf(f.ctx, fd); rc2 < 0) {
    close(fd);
    return seccomp_error("export", rc2);
  }
  off_t size = lseek(fd, 0, SEEK_CUR);
  program.resize(size_t(size) / sizeof(sock_filter));
  ssize_t n = pread(fd, program.data(), size_t(size), 0);
  close(fd);
  if (n != size) return errno_error("read exported BPF");
  return program;
}

}  // namespace shm::sandbox
