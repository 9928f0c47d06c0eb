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

#include <algorithm>
#include <cstddef>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "clock.hpp"
#include "decode.hpp"
#include "process_state.hpp"
#include "syscall_table.hpp"

namespace shm::trace {

namespace {

struct Thread {
  std::shared_ptr<ProcessState> space;
  pid_t tgid = 0;
  bool announced = false;  // its fork/clone event was emitted (or it is the program itself)
  bool parked = false;     // stopped at its first stop, waiting for that event: events stay in causal order
  bool in_call = false;  // between a seccomp stop and its exit stop
  bool has_pending = false;  // the exit stop completes PENDING (else it is only watched for a refusal)
  Event pending;
  int inject_err = 0;
  int call_nr = -1;  // the call between the stops, and its arguments
  uint64_t call_args[6] = {};
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

}  // namespace

struct Tracer::Impl {
  TraceOptions options;
  std::function<void(const Event&)> emit;
  std::unique_ptr<CallSites> call_sites;
  std::map<pid_t, Thread> threads;
  struct Fault {
    int signal = 0;
    Event what;  // its args (addr, code) and the faulting line
  };
  std::map<pid_t, Fault> faults;  // per process (tgid): the fault being delivered to it
  std::map<std::string, int> injection_counts;  // per injection kind: calls from the student's code so far
  std::set<std::string> temporary_names;  // /dev/shm objects linked to their final name: unlinking this one
                                          //   removes a name, not the object (sem_open's own clean-up)
  uint64_t seq = 0;
  double started = monotonic_seconds();
  Refusals refusals;

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
    else if (parent != threads.end()) t.space = std::make_shared<ProcessState>(parent->second.space->forked());
    else t.space = std::make_shared<ProcessState>();
    return t;
  }

  // The first frame of the student's own code above the stop, written into E.
  CallSite locate(const Thread& t, pid_t tid, const __ptrace_syscall_info& info, Event& e) {
    CallSite site;
    const uint64_t pc = info.instruction_pointer;
    const bool in_loader = pc >= t.space->loader_start && pc < t.space->loader_end;
    if (call_sites && !in_loader) {
      site = call_sites->locate(tid, t.tgid, pc, info.stack_pointer);
      e.file = site.file;
      e.line = site.line;
      e.via = site.via;
    }
    return site;
  }

  // Resume TID to its call's exit stop.
  void to_exit_stop(Thread& t, pid_t tid, int inject) {
    if (inject) {  // make the kernel skip the call; its result is set at the exit stop
      ptrace(PTRACE_POKEUSER, tid, offsetof(user_regs_struct, orig_rax), -1L);
      t.pending.injected = true;
    }
    t.in_call = true;
    t.inject_err = inject;
    ptrace(PTRACE_SYSCALL, tid, 0, 0);
  }

  void on_seccomp_stop(pid_t tid) {
    Thread& t = thread(tid);
    __ptrace_syscall_info info{};
    if (ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) <= 0 || info.op != PTRACE_SYSCALL_INFO_SECCOMP) {
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    const int nr = int(info.seccomp.nr);
    const uint64_t* a = reinterpret_cast<const uint64_t*>(info.seccomp.args);
    t.call_nr = nr;
    std::copy(a, a + 6, t.call_args);
    t.has_pending = false;
    const bool watched = options.caps.any() && is_limit_call(nr);
    const SyscallInfo* row = options.events ? find_syscall(nr) : nullptr;
    if (!row || !t.space->active) {  // the sandbox's own calls before the program's exec, or only watched
      if (watched) return to_exit_stop(t, tid, 0);
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    Event e = make_event(tid, row->name);
    auto reader = [tid](uint64_t addr) { return read_string(tid, addr); };
    for (size_t i = 0; i < row->args.size() && row->args[i].name; i++)
      e.args.emplace_back(row->args[i].name, decode_arg(row->args[i].kind, a[i], reader));
    describe_file(tid, *row, a, e);

    const CallSite site = locate(t, tid, info, e);
    // Only calls from the student's own code count: never the loader's or libc start-up's.
    int inject = site.in_student || !options.call_sites ? injection_for(e) : 0;

    if (row->outcome == Outcome::Unlearned && !inject && !watched) {
      e.result_known = false;
      t.space->apply(e);
      emit(e);
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    if (row->outcome == Outcome::Derived && !inject && !watched) {
      int err = t.space->derive_errno(*row, a);
      if (err == ENOMEM) {  // not in our table: check against the kernel's before saying so
        t.space->load_mappings(tid);
        err = t.space->derive_errno(*row, a);
      }
      e.err = err;
      e.result = err ? -err : 0;
      t.space->apply(e);
      emit(e);
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    t.pending = std::move(e);
    t.has_pending = true;
    to_exit_stop(t, tid, inject);
  }

  void on_syscall_exit(pid_t tid) {
    Thread& t = thread(tid);
    if (!t.in_call) {
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    t.in_call = false;
    int64_t rval = 0;
    if (t.inject_err) {
      ptrace(PTRACE_POKEUSER, tid, offsetof(user_regs_struct, rax), long(-t.inject_err));
      rval = -t.inject_err;
    } else if (__ptrace_syscall_info info{};
               ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) > 0 && info.op == PTRACE_SYSCALL_INFO_EXIT) {
      rval = info.exit.rval;
    }
    if (!t.inject_err) note_limit_result(options.caps, tid, t.call_nr, t.call_args, rval, refusals);
    const int nr = std::exchange(t.call_nr, -1);
    if (!t.has_pending) {
      ptrace(PTRACE_CONT, tid, 0, 0);
      return;
    }
    t.has_pending = false;
    Event e = std::move(t.pending);
    e.result = rval;
    e.err = rval < 0 && rval >= -4095 ? int(-rval) : 0;
    // ERESTARTSYS, ERESTARTNOINTR, ERESTARTNOHAND, ERESTART_RESTARTBLOCK (512-516): a signal interrupted the
    // call and the kernel will make it again, with a seccomp stop of its own. Only that one happened.
    const bool restarted = e.err >= 512 && e.err <= 516;
    if (const SyscallInfo* row = find_syscall(nr); row && row->effect == Effect::Reap && e.arg("info") && !e.err)
      note_reaped(tid, e);
    else if (row && row->effect == Effect::Name && !e.err)
      note_new_name(e);
    if (!restarted) {
      t.space->apply(e);
      emit(e);
    }
    ptrace(PTRACE_CONT, tid, 0, 0);
  }

  // File-backed calls: the path behind the fd and its size now (an mmap beyond end of file needs both);
  // openat under /dev/shm is shm_open or sem_open.
  void describe_file(pid_t tid, const SyscallInfo& row, const uint64_t* a, Event& e) {
    if (row.effect == Effect::Map && int32_t(a[4]) >= 0 && !(a[3] & MAP_ANONYMOUS)) {
      const std::string fd_path = "/proc/" + std::to_string(tid) + "/fd/" + std::to_string(int32_t(a[4]));
      char target[4096];
      ssize_t n = readlink(fd_path.c_str(), target, sizeof target - 1);
      if (n > 0) e.args.emplace_back("path", std::string(target, size_t(n)));
      struct stat st{};
      if (stat(fd_path.c_str(), &st) == 0) e.args.emplace_back("file_size", int64_t(st.st_size));
    }
    if (row.effect == Effect::Open || row.effect == Effect::Unlink)
      e.object = ipc_object_of(e.text_arg("path"));
    if (row.effect == Effect::Unlink && temporary_names.count(e.object)) e.object.clear();
    if (row.effect == Effect::Name) e.object = ipc_object_of(e.text_arg("new_path"));
  }

  // A link under /dev/shm done: the old name is temporary (see name_objects_from_creation).
  void note_new_name(const Event& e) {
    const std::string old_name = ipc_object_of(e.text_arg("path"));
    if (!old_name.empty() && !e.object.empty() && e.syscall.starts_with("link")) temporary_names.insert(old_name);
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

  // waitid returns 0, not the pid: the child it reaped is in the siginfo it filled in.
  void note_reaped(pid_t tid, Event& e) {
    const Value* info = e.arg("info");
    if (!info || !std::holds_alternative<std::string>(*info)) return;
    siginfo_t si{};
    iovec local{&si, sizeof si}, remote{reinterpret_cast<void*>(std::stoull(std::get<std::string>(*info), nullptr, 16)),
                                       sizeof si};
    if (process_vm_readv(tid, &local, 1, &remote, 1, 0) == ssize_t(sizeof si) && si.si_pid > 0)
      e.args.emplace_back("reaped", int64_t(si.si_pid));
  }

  void on_process_event(pid_t tid, int event) {
    Thread& parent = thread(tid);
    unsigned long msg = 0;
    ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg);
    parent.in_call = false;  // the fork or exec succeeded: its exit stop is not waited for
    if (event == PTRACE_EVENT_EXEC) {
      // msg is the former tid when a non-leader thread exec'd; the process keeps the leader's pid.
      // Descriptors (but close-on-exec ones) and children survive exec; the address space does not.
      parent.space->on_exec();
      parent.space->active = true;
      parent.space->load_mappings(tid);
      for (int fd : {0, 1, 2}) parent.space->fds.try_emplace(fd, OpenFile{"std" + std::to_string(fd), ""});
      if (call_sites) call_sites->forget(parent.tgid);
      Event e = make_event(tid, "exec");
      char exe[4096];
      ssize_t n = readlink(("/proc/" + std::to_string(tid) + "/exe").c_str(), exe, sizeof exe - 1);
      const std::string path = n > 0 ? std::string(exe, size_t(n)) : std::string();
      e.args.emplace_back("path", path);
      if (options.call_sites && !call_sites)
        call_sites = make_dwfl_call_sites(options.student_exe, options.source_root, options.provided,
                                          options.wrapper_calls);
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
      if (__ptrace_syscall_info info{}; ptrace(PTRACE_GET_SYSCALL_INFO, tid, sizeof info, &info) > 0)
        locate(parent, tid, info, e);  // where the student forked: unwaited-children points there
      if (!is_thread) parent.space->apply(e);
      emit_if_active(parent, e);
      c.announced = true;
      if (c.parked) {  // its first stop came first: it may run now
        c.parked = false;
        ptrace(PTRACE_CONT, child, 0, 0);
      }
    }
    ptrace(PTRACE_CONT, tid, 0, 0);
  }

  // A SIGBUS or SIGSEGV the kernel raised for a bad access (not one sent by kill): where and why, from the
  // siginfo and the faulting instruction, kept for the killed event of its process.
  void note_fault(pid_t tid, int sig) {
    siginfo_t si{};
    user_regs_struct regs{};
    if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si) < 0 || si.si_code <= 0) return;
    if (ptrace(PTRACE_GETREGS, tid, 0, &regs) < 0) return;
    static const std::map<std::pair<int, int>, const char*> kCodes = {
        {{SIGBUS, BUS_ADRALN}, "BUS_ADRALN"},   {{SIGBUS, BUS_ADRERR}, "BUS_ADRERR"},
        {{SIGBUS, BUS_OBJERR}, "BUS_OBJERR"},   {{SIGSEGV, SEGV_MAPERR}, "SEGV_MAPERR"},
        {{SIGSEGV, SEGV_ACCERR}, "SEGV_ACCERR"}};
    const auto code = kCodes.find({sig, si.si_code});
    Thread& t = thread(tid);
    Event fault;
    fault.args.emplace_back("addr", decode_arg(Arg::Addr, uint64_t(reinterpret_cast<uintptr_t>(si.si_addr)), {}));
    fault.args.emplace_back("code", code != kCodes.end() ? std::string(code->second) : std::to_string(si.si_code));
    if (call_sites) {
      const CallSite site = call_sites->locate(tid, t.tgid, regs.rip, regs.rsp);
      fault.file = site.file;
      fault.line = site.line;
    }
    faults[t.tgid] = {sig, std::move(fault)};
  }

  void on_gone(pid_t tid, int status) {
    auto it = threads.find(tid);
    if (it == threads.end()) return;
    if (it->second.in_call && WIFSIGNALED(status)) note_death_in_call(options.caps, it->second.call_nr, refusals);
    Event e = make_event(tid, WIFSIGNALED(status) ? "killed" : "exit");
    if (WIFSIGNALED(status)) e.args.emplace_back("signal", decode_arg(Arg::Signal, uint64_t(WTERMSIG(status)), {}));
    else e.args.emplace_back("status", int64_t(WEXITSTATUS(status)));
    if (auto fault = faults.find(it->second.tgid); fault != faults.end() && it->second.tgid == tid) {
      if (WIFSIGNALED(status) && WTERMSIG(status) == fault->second.signal) {  // not a fault a handler survived
        for (auto& arg : fault->second.what.args) e.args.push_back(std::move(arg));
        e.file = fault->second.what.file;  // the line that faulted
        e.line = fault->second.what.line;
      }
      faults.erase(fault);
    }
    if (it->second.tgid == tid && it->second.space)  // the process itself, not one of its threads
      for (auto& arg : it->second.space->exit_summary()) e.args.push_back(std::move(arg));
    emit_if_active(it->second, e);
    if (call_sites && it->second.tgid == tid) call_sites->forget(tid);
    threads.erase(it);
  }
};

Tracer::Tracer(TraceOptions options, std::function<void(const Event&)> emit) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->emit = std::move(emit);
  if (!impl_->options.events) {  // watching limits only
    impl_->options.call_sites = false;
    impl_->emit = [](const Event&) {};
  }
}

Refusals Tracer::refusals() const { return impl_->refusals; }

Tracer::~Tracer() = default;

Status Tracer::seize(pid_t program) {
  const long options = PTRACE_O_TRACESECCOMP | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                       PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL | PTRACE_O_TRACESYSGOOD;
  if (ptrace(PTRACE_SEIZE, program, 0, options) < 0) return errno_error("ptrace(PTRACE_SEIZE)");
  impl_->thread(program).announced = true;
  return ok();
}

void Tracer::end_of_run() {
  for (auto& [tid, t] : impl_->threads) {
    if (t.tgid != tid || !t.announced) continue;  // a process, once: not each of its threads
    Event e = impl_->make_event(tid, "killed");
    e.args.emplace_back("signal", std::string("SIGKILL"));
    e.args.emplace_back("reason", std::string("run ended"));
    if (t.space)
      for (auto& arg : t.space->exit_summary()) e.args.push_back(std::move(arg));
    impl_->emit_if_active(t, e);
  }
  impl_->threads.clear();
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
  if (sig == SIGBUS || sig == SIGSEGV) impl_->note_fault(pid, sig);
  ptrace(PTRACE_CONT, pid, 0, sig);  // a signal for the program: deliver it
}

}  // namespace shm::trace
