// Pid namespace: the sandbox's init (pid 1). It finishes the set-up that must happen inside the namespaces,
// starts the program, reaps every process (orphans and double-forked daemons come to it), and at the end
// kills what is left, removes the run's IPC objects and reports to the supervisor. When init exits, the
// kernel kills anything still in the namespace: nothing outlives the run.
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <sstream>
#include <vector>
#include <fstream>
#include <memory>

#include "files.hpp"
#include "init.hpp"
#include "text.hpp"

namespace shm::sandbox {

namespace {

void report(int fd, const std::string& line) {
  std::string text = line + "\n";
  for (size_t done = 0; done < text.size();) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    done += size_t(n);
  }
}

[[noreturn]] void exec_program(const InitPlan& plan, bool in_cgroup, SeccompPolicy policy, int ready_fd,
                                int seized_fd) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  signal(SIGPIPE, SIG_DFL);
  auto fail = [](const std::string& what) {
    dprintf(2, "shmgrade sandbox: %s: %s\n", what.c_str(), strerror(errno));
    _exit(127);
  };
  // Traced: become ptrace-able (the uid change in init left us non-dumpable, and ptrace would then need
  // CAP_SYS_PTRACE in the host's user namespace), say so, and wait until the tracer holds us, so that
  // nothing after this point escapes it. Exec resets the flag as usual for the program itself.
  if (seized_fd >= 0) {
    char seized;
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0 || write(ready_fd, "r", 1) != 1 || read(seized_fd, &seized, 1) != 1)
      fail("wait for the tracer");
  }
  if (dup2(plan.stdin_fd, 0) < 0 || dup2(plan.stdout_fd, 1) < 0 || dup2(plan.stderr_fd, 2) < 0) fail("dup2");
  if (chdir(plan.isolated ? "/work" : plan.workdir.c_str()) < 0) fail("chdir work dir");
  if (auto s = apply_rlimits(plan.limits, in_cgroup, in_cgroup); !s)
    fail(s.error().message());
  // Become nobody first (that needs CAP_SETUID and CAP_SETGID), then shed every capability left.
  if (plan.drop_to) {
    const uid_t uid = plan.drop_to->outside_uid;
    const gid_t gid = plan.drop_to->outside_gid;
    if (setgroups(0, nullptr) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
      fail("drop to nobody");
  }
  if (auto s = drop_capabilities(); !s) {
    errno = s.error().err;
    fail(s.error().what);
  }
  auto notify_fd = install_seccomp_policy(policy);
  if (!notify_fd) {
    errno = notify_fd.error().err;
    fail(notify_fd.error().what);
  }
  if (!send_fds(plan.fd_sock, {*notify_fd})) fail("send seccomp fd");
  close(*notify_fd);
  close_range(3, ~0u, 0);

  std::vector<char*> argv, envp;
  for (const auto& a : plan.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  static char path[] = "PATH=/usr/local/bin:/usr/bin:/bin", home[] = "HOME=/work", tmp[] = "TMPDIR=/tmp",
              lang[] = "LANG=C.UTF-8";
  envp = {path, home, tmp, lang};
  for (const auto& e : plan.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  execvpe(argv[0], argv.data(), envp.data());
  fail("exec " + plan.argv[0]);
  _exit(127);
}

// Without a pid namespace kill(-1) would reach the whole host: walk our own descendants instead (as a
// child subreaper, orphans are re-parented to us).
bool kill_children_once() {
  bool any = false;
  DIR* tasks = opendir("/proc/self/task");
  if (!tasks) return false;
  while (dirent* t = readdir(tasks)) {
    if (t->d_name[0] == '.') continue;
    std::ifstream in(std::string("/proc/self/task/") + t->d_name + "/children");
    for (pid_t pid; in >> pid;) {
      kill(pid, SIGKILL);
      any = true;
    }
  }
  closedir(tasks);
  return any;
}

void kill_everything(bool isolated) {
  if (isolated) {
    kill(-1, SIGKILL);  // inside our pid namespace: every process but init
    while (waitpid(-1, nullptr, 0) > 0) {
    }
    return;
  }
  // A killed child's own children are re-parented to us and show up in the next round.
  for (int round = 0; round < 1000 && kill_children_once(); round++) {
    usleep(1000);
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
  }
}

// Whether the run's private /dev/shm is full (less than a page left): a program that died or failed then most
// likely ran into the --shm limit.
bool shm_full() {
  struct statvfs st;
  return statvfs("/dev/shm", &st) == 0 && st.f_blocks > 0 && uint64_t(st.f_bavail) * st.f_bsize < 4096 * 2;
}

// Init is a clone of the supervisor and never execs: its argv would show the host's command line (paths, the
// --json file) as /proc/1/cmdline inside. Overwrite it, and the environment, in place.
void neutral_identity() {
  auto read = read_whole_file("/proc/self/stat");
  if (!read) return;
  const std::string& text = *read;
  const size_t after_comm = text.rfind(')');
  if (after_comm == std::string::npos) return;
  std::istringstream fields(text.substr(after_comm + 2));
  std::vector<unsigned long> f;  // from field 3 (state) on
  for (std::string field; fields >> field;) f.push_back(strtoul(field.c_str(), nullptr, 10));
  if (f.size() < 50) return;  // arg_start..env_end are fields 48..51
  const unsigned long arg_start = f[45], arg_end = f[46], env_start = f[47], env_end = f[48];
  static const char kName[] = "shmgrade-init";
  if (arg_end > arg_start + sizeof kName) {
    memset(reinterpret_cast<void*>(arg_start), 0, arg_end - arg_start);
    memcpy(reinterpret_cast<void*>(arg_start), kName, sizeof kName);
  }
  // The environment goes too (the program's is built anew); execvpe looks commands up in init's own PATH.
  clearenv();
  setenv("PATH", "/usr/local/bin:/usr/bin:/bin", 1);
  if (env_end > env_start) memset(reinterpret_cast<void*>(env_start), 0, env_end - env_start);
  prctl(PR_SET_NAME, kName, 0, 0, 0);
}

}  // namespace

[[noreturn]] void run_init(const InitPlan& plan) {
  char go = 0;
  if (read(plan.control_fd, &go, 1) != 1 || go != 'g') _exit(1);  // the supervisor gave up before we started
  if (plan.isolated) neutral_identity();

  // Become the namespace's root: the uid we were cloned with (root outside) is not mapped inside it, and a
  // file system refuses to create files for an unmapped owner.
  if (plan.user_ns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)) {
    report(plan.report_fd, std::string("error setresuid in the user namespace: ") + strerror(errno));
    _exit(1);
  }
  if (plan.isolated) {
    sethostname("shmgrade", 8);  // uts namespace
    if (auto s = build_root(plan.mounts); !s) {
      report(plan.report_fd, "error " + s.error().message());
      _exit(1);
    }
    if (auto s = bring_up_loopback(); !s) report(plan.report_fd, "note " + s.error().message());
  } else {
    prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  }

  // The supervisor made the cgroup while we built the root; join it before the program starts.
  auto join_files = receive_fds(plan.fd_sock);
  if (!join_files) _exit(1);  // the supervisor went away
  if (auto s = join_cgroup(*join_files); !s) {
    report(plan.report_fd, "error " + s.error().message());
    _exit(1);
  }
  for (int fd : *join_files) close(fd);
  const bool in_cgroup = !join_files->empty();
  // A cgroup namespace rooted where we now are: /proc/self/cgroup inside shows "/", not the host's path.
  if (plan.isolated && unshare(CLONE_NEWCGROUP) < 0)
    report(plan.report_fd, std::string("note no cgroup namespace: ") + strerror(errno));

  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, nullptr);
  int sigfd = signalfd(-1, &chld, SFD_CLOEXEC);

  // Without a cgroup, rlimits bound memory and processes, and the tracer watches for their refusals.
  trace::TraceOptions trace_options = plan.trace_options;
  trace_options.events = plan.trace;
  if (!in_cgroup) trace_options.caps = {plan.limits[Limit::Memory], true};
  const bool watched = trace_options.caps.any();
  const bool tracing = plan.trace || watched;
  const SeccompPolicy policy = plan.trace ? (watched ? SeccompPolicy::TracedWatched : SeccompPolicy::Traced)
                                          : (watched ? SeccompPolicy::Watched : SeccompPolicy::Plain);

  // Traced: init and the program share one CPU. Every traced call hands the CPU from the program to init and
  // back; on one CPU that is a plain context switch, across CPUs a wake-up of the other CPU, which on these
  // virtual machines costs most of a stop (workload A: 6 s spread over two CPUs, 1.5 s on one).
  if (plan.trace) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    sched_setaffinity(0, sizeof one, &one);
  }
  // Events are written in batches: one write per event would double the cost of a traced call.
  std::string pending_events;
  auto flush_events = [&] {
    if (!pending_events.empty()) report(plan.report_fd, pending_events.substr(0, pending_events.size() - 1));
    pending_events.clear();
  };
  int seized[2] = {-1, -1}, ready[2] = {-1, -1};
  if (tracing && (pipe2(seized, O_CLOEXEC) < 0 || pipe2(ready, O_CLOEXEC) < 0)) {
    report(plan.report_fd, std::string("error pipe: ") + strerror(errno));
    _exit(1);
  }
  pid_t program = fork();
  if (program < 0) {
    report(plan.report_fd, std::string("error fork: ") + strerror(errno));
    _exit(1);
  }
  if (program == 0) exec_program(plan, in_cgroup, policy, ready[1], seized[0]);
  std::unique_ptr<trace::Tracer> tracer;
  if (tracing) {
    tracer = std::make_unique<trace::Tracer>(trace_options, [&](const trace::Event& e) {
      pending_events += "event " + json_text(trace::to_json(e)) + "\n";
      if (pending_events.size() > 32768) flush_events();
    });
    char ready_byte;
    if (read(ready[0], &ready_byte, 1) != 1) {
      report(plan.report_fd, "error the program died before it could be traced");
      kill(program, SIGKILL);
    } else if (auto s = tracer->seize(program); !s) {
      report(plan.report_fd, "error " + s.error().message());
      kill(program, SIGKILL);
    }
    (void)!write(seized[1], "t", 1);
    for (int fd : {seized[0], seized[1], ready[0], ready[1]}) close(fd);
  }
  for (int fd : {plan.stdin_fd, plan.stdout_fd, plan.stderr_fd, plan.fd_sock}) close(fd);

  int status = -1;
  bool program_done = false, more_waiting = false;
  while (!program_done) {
    pollfd fds[2] = {{sigfd, POLLIN, 0}, {plan.control_fd, POLLIN, 0}};
    // Sleep until the next stop; with events waiting, at most 20 ms before they go out.
    int ready_count = poll(fds, 2, more_waiting ? 0 : pending_events.empty() ? -1 : 20);
    if (ready_count < 0 && errno != EINTR) break;
    if (ready_count == 0) flush_events();
    if (fds[1].revents) break;  // the supervisor says stop (a limit was hit), or went away
    if (fds[0].revents & POLLIN) {
      signalfd_siginfo info;
      (void)!read(sigfd, &info, sizeof info);
    }
    // __WALL: a traced program's threads report to us too.
    // At most a batch per round: a swarm of traced processes always has another stop, and the supervisor's
    // "stop" must still be heard.
    int reaped;  // whoever it was; the program's own status is kept apart in `status`
    int n = 0;
    for (pid_t pid; n < 256 && (pid = waitpid(-1, &reaped, WNOHANG | __WALL)) > 0; n++) {
      if (tracer) tracer->handle(pid, reaped);
      if (pid == program && (WIFEXITED(reaped) || WIFSIGNALED(reaped))) {
        status = reaped;
        program_done = true;
      }
    }
    more_waiting = n == 256;
  }
  if (tracer) {
    // Children that ended just before the program still get their own events; what is still alive is killed
    // below, and each gets a "killed" event first (bounded: a busy tracee always has another stop).
    int reaped;
    for (int n = 0; n < 256; n++) {
      const pid_t pid = waitpid(-1, &reaped, WNOHANG | __WALL);
      if (pid <= 0) break;
      tracer->handle(pid, reaped);
    }
    tracer->end_of_run();
  }
  if (program_done) report(plan.report_fd, "status " + std::to_string(status));
  if (tracer && tracer->refusals().memory) report(plan.report_fd, "refused memory");
  if (tracer && tracer->refusals().processes) report(plan.report_fd, "refused procs");

  flush_events();
  kill_everything(plan.isolated);
  if (plan.isolated && shm_full()) report(plan.report_fd, "shm-full");
  if (plan.isolated)
    for (const Leftover& l : remove_ipc_leftovers())
      report(plan.report_fd, "leftover " + l.kind + " " + std::to_string(l.size) + " " + l.name);
  _exit(0);
}

}  // namespace shm::sandbox
