#include "tracer.hpp"

#include <signal.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstddef>
#include <fstream>
#include <sstream>

#include "clock.hpp"
#include "syscall_table.hpp"

namespace shm::trace {

namespace {

constexpr uint64_t kPage = 4096;

struct Mapping {
  uint64_t length = 0;
  bool shared = false;
};

// What a process (thread group) owns; its threads share it.
struct Space {
  std::map<uint64_t, Mapping> mappings;  // start -> mapping
  bool active = false;                   // has exec'd the program: its calls are the program's
  uint64_t loader_start = 0, loader_end = 0;  // the dynamic loader's text: no student frame above it
};

struct Thread {
  std::shared_ptr<Space> space;
  pid_t tgid = 0;
  bool announced = false;  // its fork/clone event was emitted (or it is the program itself)
  bool parked = false;     // stopped at its first stop, waiting for that event: events stay in causal order
  bool in_call = false;  // between a seccomp stop and its exit stop
  const SyscallInfo* info = nullptr;
  Event pending;
  int inject_err = 0;
};

// A thread's process (Tgid) and its parent process (PPid), from /proc.
std::pair<pid_t, pid_t> tgid_and_parent(pid_t tid) {
  std::ifstream in("/proc/" + std::to_string(tid) + "/status");
  std::string key;
  pid_t tgid = tid, ppid = 0;
  for (pid_t v; in >> key;) {
    if (key == "Tgid:" && in >> v) tgid = v;
    if (key == "PPid:" && in >> v) ppid = v;
  }
  return {tgid, ppid};
}

std::string read_string(pid_t tid, uint64_t addr) {
  std::string out;
  char buf[256];
  while (out.size() < 4096) {
    iovec local{buf, sizeof buf}, remote{reinterpret_cast<void*>(addr + out.size()), sizeof buf};
    ssize_t n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; i++) {
      if (buf[i] == '\0') return out;
      out += buf[i];
    }
  }
  return out;
}

int64_t as_int(const Value* v) { return v && std::holds_alternative<int64_t>(*v) ? std::get<int64_t>(*v) : -1; }

// An outcome the tracer derives without a second stop, from the arguments and its mapping table.
int derive_errno(const SyscallInfo& info, const uint64_t* a, const Space& space) {
  const std::string name = info.name;
  if (name == "close") return int32_t(a[0]) < 0 ? EBADF : 0;
  if (a[0] % kPage != 0) return EINVAL;  // munmap, mprotect, msync, madvise: the address must be aligned
  if (name == "munmap") return a[1] == 0 ? EINVAL : 0;
  if (name == "msync" && (a[2] & MS_SYNC) && (a[2] & MS_ASYNC)) return EINVAL;
  if (name == "msync" || name == "mprotect") {  // the whole range must be mapped
    uint64_t pos = a[0], end = a[0] + a[1];
    while (pos < end) {
      auto it = space.mappings.upper_bound(pos);
      if (it == space.mappings.begin()) return ENOMEM;
      --it;
      if (it->first + it->second.length <= pos) return ENOMEM;
      pos = it->first + it->second.length;
    }
  }
  return 0;
}

// The kernel's view, from /proc/PID/maps: mappings the tracer never saw made (the executable, the loader,
// the stack) are there too.
void load_mappings(Space& space, pid_t tid) {
  std::ifstream in("/proc/" + std::to_string(tid) + "/maps");
  space.mappings.clear();
  std::string line;
  while (std::getline(in, line)) {
    unsigned long long start = 0, end = 0;
    char perms[8] = {};
    if (sscanf(line.c_str(), "%llx-%llx %7s", &start, &end, perms) != 3) continue;
    space.mappings[start] = {end - start, perms[3] == 's'};
    if (perms[2] == 'x' && line.find("/ld-linux") != std::string::npos) {
      space.loader_start = start;
      space.loader_end = end;
    }
  }
}

void forget_range(Space& space, uint64_t start, uint64_t length) {
  const uint64_t end = start + ((length + kPage - 1) & ~(kPage - 1));
  std::map<uint64_t, Mapping> kept;
  for (auto it = space.mappings.begin(); it != space.mappings.end();) {
    uint64_t s = it->first, e = s + it->second.length;
    if (e <= start || s >= end) {
      ++it;
      continue;
    }
    if (s < start) kept[s] = {start - s, it->second.shared};
    if (e > end) kept[end] = {e - end, it->second.shared};
    it = space.mappings.erase(it);
  }
  space.mappings.insert(kept.begin(), kept.end());
}

}  // namespace

struct Tracer::Impl {
  TraceOptions options;
  std::function<void(const Event&)> emit;
  std::unique_ptr<CallSites> call_sites;
  std::map<pid_t, Thread> threads;
  std::map<std::string, int> injection_counts;  // per injection kind: calls from the student's code so far
  uint64_t seq = 0;
  double started = monotonic_seconds();

  Event make_event(pid_t tid, std::string syscall) {
    Event e;
    e.seq = ++seq;
    e.pid = tid;
    e.time_s = monotonic_seconds() - started;
    e.syscall = std::move(syscall);
    return e;
  }

  void emit_if_active(const Thread& t, Event e) {
    if (t.space && t.space->active) emit(e);
  }

  // The tracer's state for TID, made on first sight. A new child's first stop can come before its parent's
  // fork event, so a new process starts from its parent's state (the parent is stopped at that event, so
  // the state is current) and a new thread shares its process's.
  Thread& thread(pid_t tid) {
    auto it = threads.find(tid);
    if (it != threads.end()) return it->second;
    Thread& t = threads[tid];
    auto [tgid, ppid] = tgid_and_parent(tid);
    t.tgid = tgid;
    auto leader = threads.find(tgid);
    auto parent = threads.find(ppid);
    if (leader != threads.end() && tgid != tid) t.space = leader->second.space;
    else if (parent != threads.end()) t.space = std::make_shared<Space>(*parent->second.space);
    else t.space = std::make_shared<Space>();
    return t;
  }

  void on_seccomp_stop(pid_t tid) {
    Thread& t = thread(tid);
    __ptrace_syscall_info info{};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    const SyscallInfo* row = find_syscall(int(info.seccomp.nr));
    if (!row || !t.space->active) {  // the sandbox's own calls before the program's exec
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    const uint64_t* a = reinterpret_cast<const uint64_t*>(info.seccomp.args);
    Event e = make_event(tid, row->name);
    auto reader = [tid](uint64_t addr) { return read_string(tid, addr); };
    for (size_t i = 0; i < row->args.size() && row->args[i].name; i++)
      e.args.emplace_back(row->args[i].name, decode_arg(row->args[i].kind, a[i], reader));
    describe_file(tid, *row, a, e);

    CallSite site;
    const uint64_t pc = info.instruction_pointer;
    const bool in_loader = pc >= t.space->loader_start && pc < t.space->loader_end;
    if (call_sites && !in_loader) {
      site = call_sites->locate(tid, info.instruction_pointer, info.stack_pointer);
      e.file = site.file;
      e.line = site.line;
    }
    // Only calls from the student's own code count: never the loader's or libc start-up's.
    int inject = site.in_student || !options.call_sites ? injection_for(e) : 0;

    if (row->outcome == Outcome::Derived && !inject) {
      int err = derive_errno(*row, a, *t.space);
      if (err == ENOMEM) {  // not in our table: check against the kernel's before saying so
        load_mappings(*t.space, tid);
        err = derive_errno(*row, a, *t.space);
      }
      e.err = err;
      e.result = err ? -err : 0;
      if (!err && e.syscall == "munmap") forget_range(*t.space, a[0], a[1]);
      emit(e);
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    if (inject) {  // make the kernel skip the call; its result is set at the exit stop
      ptrace(PTRACE_POKEUSER, tid, offsetof(user_regs_struct, orig_rax), -1L);
      e.injected = true;
    }
    t.in_call = true;
    t.info = row;
    t.pending = std::move(e);
    t.inject_err = inject;
    ptrace(PTRACE_SYSCALL, tid, 0, 0);
  }

  void on_syscall_exit(pid_t tid) {
    Thread& t = thread(tid);
    if (!t.in_call) {
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    t.in_call = false;
    Event e = std::move(t.pending);
    if (t.inject_err) {
      ptrace(PTRACE_POKEUSER, tid, offsetof(user_regs_struct, rax), long(-t.inject_err));
      e.result = -t.inject_err;
      e.err = t.inject_err;
    } else {
      __ptrace_syscall_info info{};
      if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) > 0 && info.op == PTRACE_SYSCALL_INFO_EXIT) {
        e.result = info.exit.rval;
        e.err = info.exit.is_error ? int(-info.exit.rval) : 0;
      }
    }
    if (!e.err) record_mapping(*t.space, e);
    emit(e);
    ptrace(PTRACE_CONT, tid, 0, 0);
  }

  // File-backed calls: the path behind the fd and its size now (an mmap beyond end of file needs both);
  // openat under /dev/shm is shm_open or sem_open.
  void describe_file(pid_t tid, const SyscallInfo& row, const uint64_t* a, Event& e) {
    const std::string name = row.name;
    if (name == "mmap" && int32_t(a[4]) >= 0 && !(a[3] & MAP_ANONYMOUS)) {
      const std::string fd_path = "/proc/" + std::to_string(tid) + "/fd/" + std::to_string(int32_t(a[4]));
      char target[4096];
      ssize_t n = readlink(fd_path.c_str(), target, sizeof target - 1);
      if (n > 0) e.args.emplace_back("path", std::string(target, size_t(n)));
      struct stat st{};
      if (stat(fd_path.c_str(), &st) == 0) e.args.emplace_back("file_size", int64_t(st.st_size));
    }
    if (name == "openat" || name == "open" || name == "unlink" || name == "unlinkat") {
      const Value* path = e.arg("path");
      if (path && std::holds_alternative<std::string>(*path)) {
        auto [kind, object] = posix_ipc_object(std::get<std::string>(*path));
        if (!kind.empty()) e.object = kind + ":" + object;
      }
    }
  }

  int injection_for(const Event& e) {
    const auto kinds = injection_kinds(e);
    for (const auto& kind : kinds) {
      bool wanted = false;
      for (const auto& inj : options.injections) wanted |= inj.kind == kind;
      if (!wanted) continue;
      int n = ++injection_counts[kind];
      for (const auto& inj : options.injections)
        if (inj.kind == kind && inj.nth == n) return inj.err;
    }
    return 0;
  }

  void record_mapping(Space& space, const Event& e) {
    if (e.syscall == "mmap" || e.syscall == "shmat") {
      const Value* flags = e.arg("flags");
      bool shared = e.syscall == "shmat" ||
                    (flags && std::holds_alternative<std::string>(*flags) &&
                     std::get<std::string>(*flags).find("MAP_SHARED") != std::string::npos);
      int64_t length = e.syscall == "mmap" ? as_int(e.arg("length")) : int64_t(kPage);
      forget_range(space, uint64_t(e.result), uint64_t(length));
      space.mappings[uint64_t(e.result)] = {(uint64_t(length) + kPage - 1) & ~(kPage - 1), shared};
    }
  }

  void on_process_event(pid_t tid, int event) {
    Thread& parent = thread(tid);
    unsigned long msg = 0;
    ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg);
    if (event == PTRACE_EVENT_EXEC) {
      // msg is the former tid when a non-leader thread exec'd; the process keeps the leader's pid.
      parent.space = std::make_shared<Space>();
      parent.space->active = true;
      load_mappings(*parent.space, tid);
      if (call_sites) call_sites->forget(parent.tgid);
      Event e = make_event(tid, "exec");
      char exe[4096];
      ssize_t n = readlink(("/proc/" + std::to_string(tid) + "/exe").c_str(), exe, sizeof exe - 1);
      const std::string path = n > 0 ? std::string(exe, size_t(n)) : std::string();
      e.args.emplace_back("path", path);
      if (options.call_sites && !call_sites) {  // the first program run is the student's executable
        if (options.student_exe.empty()) options.student_exe = path;
        call_sites = make_dwfl_call_sites(options.student_exe, options.source_root);
      }
      emit(e);
    } else {
      const pid_t child = pid_t(msg);
      Thread& c = thread(child);
      const bool is_thread = c.tgid == parent.tgid;
      Event e = make_event(tid, is_thread ? "thread" : event == PTRACE_EVENT_VFORK ? "vfork"
                                                      : event == PTRACE_EVENT_FORK  ? "fork"
                                                                                     : "clone");
      e.args.emplace_back("child", int64_t(child));
      e.result = child;
      emit_if_active(parent, e);
      c.announced = true;
      if (c.parked) {  // its first stop came first: it may run now
        c.parked = false;
        ptrace(PTRACE_CONT, child, 0, 0);
      }
    }
    ptrace(PTRACE_CONT, tid, 0, 0);
  }

  void on_gone(pid_t tid, int status) {
    auto it = threads.find(tid);
    if (it == threads.end()) return;
    Event e = make_event(tid, WIFSIGNALED(status) ? "killed" : "exit");
    if (WIFSIGNALED(status)) e.args.emplace_back("signal", decode_arg(Arg::Signal, uint64_t(WTERMSIG(status)), {}));
    else e.args.emplace_back("status", int64_t(WEXITSTATUS(status)));
    emit_if_active(it->second, e);
    if (call_sites && it->second.tgid == tid) call_sites->forget(tid);
    threads.erase(it);
  }
};

Tracer::Tracer(TraceOptions options, std::function<void(const Event&)> emit) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->emit = std::move(emit);
}

Tracer::~Tracer() = default;

Status Tracer::seize(pid_t program) {
  const long options = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                       PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD;
  if (ptrace(PTRACE_SEIZE, program, 0, options) < 0) return errno_error("ptrace(PTRACE_SEIZE)");
  impl_->thread(program).announced = true;
  return ok();
}

void Tracer::handle(pid_t pid, int status) {
  if (WIFEXITED(status) || WIFSIGNALED(status)) return impl_->on_gone(pid, status);
  if (!WIFSTOPPED(status)) return;
  const int sig = WSTOPSIG(status), event = status >> 16;
  if (sig == (SIGTRAP | 0x80)) return impl_->on_syscall_exit(pid);
  if (sig == SIGTRAP && event == PTRACE_EVENT_SECCOMP) return impl_->on_seccomp_stop(pid);
  if (sig == SIGTRAP && (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
                         event == PTRACE_EVENT_CLONE || event == PTRACE_EVENT_EXEC))
    return impl_->on_process_event(pid, event);
  if (event == PTRACE_EVENT_STOP) {
    Thread& t = impl_->thread(pid);  // a new child's first stop, or a group stop
    if (!t.announced) {  // before its parent's fork event: hold it until that is emitted
      t.parked = true;
      return;
    }
    bool group_stop = sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
    ptrace(group_stop ? PTRACE_LISTEN : PTRACE_CONT, pid, 0, 0);
    return;
  }
  ptrace(PTRACE_CONT, pid, 0, sig);  // a signal for the program: deliver it
}

Result<Injection> parse_injection(const std::string& spec) {
  std::vector<std::string> parts;
  std::stringstream in(spec);
  for (std::string p; std::getline(in, p, ':');) parts.push_back(p);
  if (parts.size() < 3) return Error{"--inject " + spec + ": expected KIND:N:ERRNO, e.g. mmap:shared:1:ENOMEM"};
  Injection inj;
  for (size_t i = 0; i + 2 < parts.size(); i++) inj.kind += (i ? ":" : "") + parts[i];
  static const char* const kKinds[] = {"mmap", "mmap:shared", "mmap:private", "mmap:anonymous", "mremap", "munmap",
                                       "msync", "mprotect", "ftruncate", "open", "shm_open", "sem_open", "shm_unlink",
                                       "sem_unlink", "shmget", "shmat", "shmdt", "shmctl", "close", "dup", "unlink"};
  bool known = false;
  for (const char* k : kKinds) known |= inj.kind == k;
  if (!known) return Error{"--inject " + spec + ": unknown kind '" + inj.kind + "'"};
  char* end = nullptr;
  inj.nth = int(strtol(parts[parts.size() - 2].c_str(), &end, 10));
  if (*end || inj.nth < 1) return Error{"--inject " + spec + ": N must be a positive count"};
  inj.err = errno_from_name(parts.back());
  if (inj.err < 0) return Error{"--inject " + spec + ": unknown errno name '" + parts.back() + "'"};
  return inj;
}

std::vector<std::string> injection_kinds(const Event& e) {
  std::vector<std::string> kinds;
  if (e.syscall == "mmap") {
    kinds.push_back("mmap");
    const Value* flags = e.arg("flags");
    std::string f = flags && std::holds_alternative<std::string>(*flags) ? std::get<std::string>(*flags) : "";
    if (f.find("MAP_SHARED") != std::string::npos) kinds.push_back("mmap:shared");
    if (f.find("MAP_PRIVATE") != std::string::npos) kinds.push_back("mmap:private");
    if (f.find("MAP_ANONYMOUS") != std::string::npos) kinds.push_back("mmap:anonymous");
  } else if (e.syscall == "openat" || e.syscall == "open") {
    kinds.push_back(e.object.rfind("sem:", 0) == 0 ? "sem_open" : e.object.rfind("shm:", 0) == 0 ? "shm_open" : "open");
  } else if (e.syscall == "unlink" || e.syscall == "unlinkat") {
    kinds.push_back(e.object.rfind("sem:", 0) == 0 ? "sem_unlink" : e.object.rfind("shm:", 0) == 0 ? "shm_unlink"
                                                                                                   : "unlink");
  } else if (e.syscall == "dup" || e.syscall == "dup2" || e.syscall == "dup3") {
    kinds.push_back("dup");
  } else {
    kinds.push_back(e.syscall);
  }
  return kinds;
}

}  // namespace shm::trace
