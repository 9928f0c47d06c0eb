// The supervisor: one run, as a flat sequence of steps (like nsjail's contain):
//   work dir -> identity -> channels -> clone into namespaces -> id maps, go -> cgroup (made while init
//   builds its root, joined by init itself) ->
//   supervise (output, violations, wall time) -> collect (status, usage, leftovers) -> verdict -> clean up.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "clock.hpp"
#include "files.hpp"
#include "fd.hpp"
#include "init.hpp"

namespace shm::sandbox {

namespace fs = std::filesystem;

namespace {

struct Pipe {
  Fd read, write;
};
Result<Pipe> make_pipe() {
  int p[2];
  if (pipe2(p, O_CLOEXEC) < 0) return errno_error("pipe2");
  return Pipe{Fd(p[0]), Fd(p[1])};
}

// The work dir: given, or a fresh temporary one removed at the end unless kept (finish() says whether that
// worked; the destructor is the backstop when run() returns early).
struct WorkDir {
  fs::path path;
  bool remove = false;
  ~WorkDir() {
    if (remove) (void)remove_tree(path);
  }
  Status finish() {
    if (!remove) return ok();
    remove = false;
    return remove_tree(path);
  }
};

Status prepare_workdir(const Request& req, WorkDir& dir) {
  if (req.workdir.empty()) {
    auto made = make_temp_dir("run");
    if (!made) return made.error();
    dir.path = *made;
    dir.remove = !req.keep_workdir;
  } else {
    std::error_code ec;
    fs::create_directories(req.workdir, ec);
    if (ec) return Error{"work dir " + req.workdir + ": " + ec.message()};
    dir.path = fs::canonical(req.workdir, ec);
    if (ec) return Error{"work dir " + req.workdir + ": " + ec.message()};
  }
  if (!req.copy_in.empty()) return copy_submission(req.copy_in, dir.path);
  return ok();
}

// As root, the work dir is lent to the sandbox's user (nobody) for the run; a dir the caller named goes back
// to the owner it had, with whatever the program made in it.
struct Lent {
  bool lent = false;
  uid_t uid = 0;
  gid_t gid = 0;
};

Status lend(const WorkDir& dir, const IdMap& ids, Lent& lent) {
  struct stat st;
  if (lstat(dir.path.c_str(), &st) < 0) return errno_error("stat " + dir.path.string());
  lent = {true, st.st_uid, st.st_gid};
  return hand_over(dir.path, ids.outside_uid, ids.outside_gid);
}

Status give_back(const WorkDir& dir, const Lent& lent) {
  if (!lent.lent || dir.remove || !fs::exists(dir.path)) return ok();
  return hand_over(dir.path, lent.uid, lent.gid);
}

// Everything the supervise loop tracks.
struct Supervision {
  std::string out, err, report;
  bool out_truncated = false, err_truncated = false, output_limit = false, timed_out = false, disk_limit = false;
  std::vector<Violation> violations;
  size_t violation_count = 0;
};

// The pid HOST_PID has inside the sandbox's pid namespace (the last NSpid field), as everything else names it.
int sandbox_pid(pid_t host_pid) {
  std::ifstream status("/proc/" + std::to_string(host_pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("NSpid:", 0) == 0) {
      std::istringstream fields(line.substr(6));
      int pid = host_pid;
      for (int p; fields >> p;) pid = p;
      return pid;
    }
  return host_pid;
}

void answer_violation(int notify_fd, Supervision& sv) {
  seccomp_notif* req = nullptr;
  seccomp_notif_resp* resp = nullptr;
  if (seccomp_notify_alloc(&req, &resp) < 0) return;
  if (seccomp_notify_receive(notify_fd, req) == 0) {
    if (sv.violations.size() < kMaxViolations) {
      const SyscallId call = identify_syscall(req->data.arch, req->data.nr);
      sv.violations.push_back({sandbox_pid(pid_t(req->pid)), call.name, call.abi});
    }
    sv.violation_count++;
    resp->id = req->id;
    resp->error = -EPERM;
    resp->val = 0;
    resp->flags = 0;
    seccomp_notify_respond(notify_fd, resp);
  }
  seccomp_notify_free(req, resp);
}

// Read what one pipe has into SINK, keeping at most BUDGET bytes (the rest is counted as dropped);
// returns false at end of file.
bool drain(int fd, std::string& sink, size_t& budget, size_t& dropped) {
  char buf[65536];
  ssize_t n = read(fd, buf, sizeof buf);
  if (n <= 0) return n < 0 && errno == EINTR;
  size_t keep = std::min(size_t(n), budget);
  sink.append(buf, keep);
  budget -= keep;
  dropped += size_t(n) - keep;
  return true;
}

void supervise(pid_t init, int pidfd, int control_fd, Pipe& out, Pipe& err, Pipe& report, int passing_sock,
               Fd& stdin_w, const std::string& stdin_data, const Limits& limits, const fs::path& workdir,
               Supervision& sv) {
  const double deadline = monotonic_seconds() + double(limits[Limit::WallTime]) / 1000.0;
  // The work dir is on the host's disk, where RLIMIT_FSIZE bounds each file but not how many there are.
  constexpr double kDiskEvery = 0.1;
  double disk_check_at = monotonic_seconds() + kDiskEvery;
  double kill_at = 0;  // set once we asked init to stop: when to stop asking and kill it
  size_t budget = limits[Limit::Output], stdin_done = 0, out_dropped = 0, err_dropped = 0;
  size_t report_budget = SIZE_MAX, report_dropped = 0;
  Fd notify;
  int fd_sock = passing_sock;  // watched until the program's seccomp fd arrives or the socket closes
  bool init_done = false;
  auto stop = [&] {
    if (kill_at != 0) return;
    (void)!write(control_fd, "s", 1);
    kill_at = monotonic_seconds() + 5;
  };
  if (stdin_data.empty()) stdin_w.reset();

  while (true) {
    std::vector<pollfd> fds = {{pidfd, POLLIN, 0},     {out.read.fd, POLLIN, 0}, {err.read.fd, POLLIN, 0},
                               {report.read.fd, POLLIN, 0}, {fd_sock, POLLIN, 0}, {notify.fd, POLLIN, 0},
                               {stdin_w.fd, POLLOUT, 0}};
    if (init_done && out.read.fd < 0 && err.read.fd < 0 && report.read.fd < 0) break;
    double wait_s = (kill_at ? kill_at : deadline) - monotonic_seconds();
    wait_s = std::min(wait_s, disk_check_at - monotonic_seconds());
    int n = poll(fds.data(), fds.size(), init_done ? 1000 : std::max(0, int(wait_s * 1000) + 1));
    if (n < 0 && errno != EINTR) break;
    if (!init_done && monotonic_seconds() >= deadline && !kill_at) {
      sv.timed_out = true;
      stop();
    }
    if (kill_at && monotonic_seconds() >= kill_at) kill(init, SIGKILL);
    if (!init_done && !kill_at && monotonic_seconds() >= disk_check_at) {
      disk_check_at = monotonic_seconds() + kDiskEvery;
      if (disk_over(workdir, limits[Limit::Disk])) {
        sv.disk_limit = true;
        stop();
      }
    }
    if (fds[0].revents) init_done = true;  // init exited: every writer is gone, so the pipes reach EOF
    if (fds[1].revents && !drain(out.read.fd, sv.out, budget, out_dropped)) out.read.reset();
    if (fds[2].revents && !drain(err.read.fd, sv.err, budget, err_dropped)) err.read.reset();
    if (fds[3].revents && !drain(report.read.fd, sv.report, report_budget, report_dropped)) report.read.reset();
    sv.out_truncated = out_dropped > 0;
    sv.err_truncated = err_dropped > 0;
    sv.output_limit = sv.out_truncated || sv.err_truncated;
    if (fds[4].revents) {
      if (auto fds = receive_fds(fd_sock); fds && fds->size() == 1) notify = Fd(fds->front());
      fd_sock = -1;
    }
    if (fds[5].revents & POLLIN) answer_violation(notify.fd, sv);
    if (fds[5].revents & (POLLHUP | POLLERR)) notify.reset();
    if (fds[6].revents) {
      ssize_t w = write(stdin_w.fd, stdin_data.data() + stdin_done, stdin_data.size() - stdin_done);
      if (w > 0) stdin_done += size_t(w);
      if (w < 0 || stdin_done == stdin_data.size()) stdin_w.reset();
    }
    if (sv.output_limit && !init_done) stop();
    if (init_done && !fds[1].revents && !fds[2].revents && !fds[3].revents) break;  // drained
  }
}

// Init's findings at the end of the run that only it could see from inside.
struct InitReport {
  int status = 0;
  bool have_status = false;
  bool shm_full = false;  // the private /dev/shm had no room left
  trace::Refusals refused;  // without a cgroup: a call was refused at the memory or process cap
};

Verdict decide(const Outcome& o, const CgroupStats& cg, const Supervision& sv, const InitReport& init,
               const Limits& limits, std::string& limit) {
  if (!o.error.empty()) return Verdict::InternalError;
  if (cg.memory_limit_hit) return limit = "memory", Verdict::MemoryLimit;
  if (cg.process_limit_hit) return limit = "procs", Verdict::ProcessLimit;
  // Without a cgroup the caps refuse rather than kill: the refusal decides when the run then failed (a program
  // that coped with ENOMEM and succeeded is fine). A process cap hit is the limit, as the cgroup's is.
  const bool failed = o.signal || o.exit_code != 0 || sv.timed_out;
  if (init.refused.memory && failed) return limit = "memory", Verdict::MemoryLimit;
  if (init.refused.processes) return limit = "procs", Verdict::ProcessLimit;
  if (sv.output_limit) return limit = "output", Verdict::OutputLimit;
  if (o.signal == SIGXFSZ) return limit = "fsize", Verdict::FileSizeLimit;
  if (sv.disk_limit) return limit = "disk", Verdict::FileSizeLimit;
  if (sv.timed_out) return limit = "time", Verdict::Timeout;
  // RLIMIT_CPU sends SIGXCPU, then SIGKILL to a program that ignored it; either is the limit only when the run
  // used that much CPU (a program may raise either itself).
  const double cpu_limit_s = double((limits[Limit::CpuTime] + 999) / 1000);
  if ((o.signal == SIGXCPU || o.signal == SIGKILL) && o.cpu_s + 0.05 >= cpu_limit_s) return limit = "cpu", Verdict::Timeout;
  // A full /dev/shm shows as SIGBUS on a mapping of a sparse object, or as a failed write or ftruncate.
  if (init.shm_full && (o.signal == SIGBUS || (!o.signal && o.exit_code != 0))) return limit = "shm", Verdict::MemoryLimit;
  const bool have_status = init.have_status;
  if (sv.violation_count > 0) return Verdict::Violation;
  if (!have_status) return Verdict::InternalError;
  if (o.signal) return Verdict::Signal;
  return o.exit_code == 0 ? Verdict::Ok : Verdict::RuntimeError;
}

void parse_report(const std::string& report, Outcome& o, InitReport& init) {
  std::istringstream lines(report);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream f(line);
    std::string tag;
    f >> tag;
    std::string rest;
    std::getline(f >> std::ws, rest);
    if (tag == "status") {
      init.status = std::stoi(rest);
      init.have_status = true;
    } else if (tag == "shm-full") {
      init.shm_full = true;
    } else if (tag == "refused") {
      init.refused.memory |= rest == "memory";
      init.refused.processes |= rest == "procs";
    } else if (tag == "error") {
      o.error = rest;
    } else if (tag == "note") {
      o.notes.push_back(rest);
    } else if (tag == "event") {
      auto json = nlohmann::ordered_json::parse(rest, nullptr, false);
      if (!json.is_discarded()) o.events.push_back(trace::event_from_json(json));
    } else if (tag == "leftover") {
      std::istringstream l(rest);
      Leftover left;
      l >> left.kind >> left.size;
      std::getline(l >> std::ws, left.name);
      o.leftovers.push_back(left);
    }
  }
}

constexpr unsigned long kNamespaces = CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS;

// Closes every descriptor but KEEP.
void keep_only_fds(std::vector<int> keep) {
  std::sort(keep.begin(), keep.end());
  unsigned from = 0;
  for (int fd : keep) {
    if (unsigned(fd) > from) close_range(from, unsigned(fd) - 1, 0);
    from = unsigned(fd) + 1;
  }
  close_range(from, ~0u, 0);
}

// clone() as fork() with new namespaces; falls back step by step where the host refuses.
pid_t clone_init(bool want_namespaces, bool& user_ns, bool& isolated, std::vector<std::string>& notes) {
  user_ns = isolated = false;
  if (!want_namespaces) {
    notes.push_back("namespaces not used (as requested): no isolation of files, network or IPC");
    return fork();
  }
  pid_t pid = pid_t(syscall(SYS_clone, kNamespaces | CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0));
  if (pid >= 0) return user_ns = isolated = true, pid;
  if (geteuid() == 0) {
    pid = pid_t(syscall(SYS_clone, kNamespaces | SIGCHLD, 0, 0, 0, 0));
    if (pid >= 0) {
      notes.push_back("user namespaces unavailable: the program runs as nobody in the other namespaces");
      return user_ns = false, isolated = true, pid;
    }
  }
  notes.push_back(std::string("namespaces unavailable (") + strerror(errno) +
                  "): no isolation of files, network or IPC; limits and seccomp still apply");
  return fork();
}

}  // namespace

const char* verdict_name(Verdict v) {
  static const char* const names[] = {"ok",           "runtime-error", "signal",          "timeout",   "memory-limit",
                                      "process-limit", "output-limit", "file-size-limit", "violation", "internal-error"};
  return names[int(v)];
}

Result<Outcome> run(const Request& req) {
  if (req.argv.empty()) return Error{"no command to run"};
  signal(SIGPIPE, SIG_IGN);
  Outcome outcome;

  // 1. Work dir, with the submission copied in.
  WorkDir workdir;
  if (auto w = prepare_workdir(req, workdir); !w) return w.error();
  outcome.workdir = workdir.path;

  // 2. Identity: whom the sandbox's root is outside; it must own the work dir.
  const IdMap ids = choose_id_map();
  Lent lent;
  if (geteuid() == 0) {
    if (auto s = lend(workdir, ids, lent); !s) return s.error();
  }

  // 3. Channels: control (supervisor -> init), report (init -> supervisor), stdio, and a socket for passing
  //    descriptors (the cgroup's join files to init, the seccomp notification fd back).
  auto control = make_pipe(), report = make_pipe(), in = make_pipe(), out = make_pipe(), err = make_pipe();
  for (auto* p : {&control, &report, &in, &out, &err})
    if (!*p) return p->error();
  int sock[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sock) < 0) return errno_error("socketpair");
  Fd fd_sock(sock[0]), fd_peer(sock[1]);

  // 4. Clone init into its namespaces.
  InitPlan plan;
  plan.mounts = {workdir.path, req.limits[Limit::Shm], req.limits[Limit::FileSize], req.read_only_dirs};
  plan.workdir = workdir.path;
  plan.limits = req.limits;
  plan.argv = req.argv;
  plan.env = req.env;
  plan.trace = req.trace;
  plan.trace_options = req.trace_options;
  plan.control_fd = control->read.fd;
  plan.report_fd = report->write.fd;
  plan.fd_sock = fd_peer.fd;
  plan.stdin_fd = in->read.fd;
  plan.stdout_fd = out->write.fd;
  plan.stderr_fd = err->write.fd;
  bool user_ns = false;
  const double started = monotonic_seconds();
  pid_t init = clone_init(req.namespaces, user_ns, plan.isolated, outcome.notes);
  if (init < 0) return errno_error("clone");
  if (init == 0) {
    // Init never execs, so O_CLOEXEC does not close the supervisor's ends for it: a stdin write end held
    // here would keep the program from ever seeing EOF.
    for (Fd* end : {&control->write, &report->read, &in->write, &out->read, &err->read, &fd_sock}) end->reset();
    // Nor does anything else of the supervisor's reach it: other runs of a grader running tests side by side
    // have their pipes open here too, and holding them would keep those runs from seeing end of file.
    keep_only_fds({0, 1, 2, plan.control_fd, plan.report_fd, plan.fd_sock, plan.stdin_fd, plan.stdout_fd, plan.stderr_fd});
    plan.user_ns = user_ns;
    if (!user_ns && geteuid() == 0) plan.drop_to = ids;  // no user namespace to make root harmless
    run_init(plan);
  }
  for (auto* end : {&control->read, &report->write, &in->read, &out->write, &err->write, &fd_peer})
    end->reset();
  Fd pidfd(int(syscall(SYS_pidfd_open, init, 0)));

  // 5. Id maps before init may go on.
  Status setup = ok();
  if (user_ns) setup = write_id_maps(init, ids);
  if (setup) (void)!write(control->write.fd, "g", 1);
  else outcome.error = setup.error().message();

  // 6. The cgroup for memory and process limits of the whole run, made on this core while init builds its
  //    root on the other. Init joins it itself through the files passed here (none: rlimits instead).
  auto cgroup = Cgroup::create(req.limits);
  if (!cgroup) outcome.notes.push_back("cgroups unavailable (" + cgroup.error().message() + "): rlimits instead");
  if (setup) (void)send_fds(fd_sock.fd, cgroup ? cgroup->join_files() : std::vector<int>{});

  // 7. Supervise until init exits.
  Supervision sv;
  if (setup)
    supervise(init, pidfd.fd, control->write.fd, *out, *err, *report, fd_sock.fd, in->write, req.stdin_data,
              req.limits, workdir.path, sv);
  else
    kill(init, SIGKILL);
  rusage usage{};
  int init_status = 0;
  while (wait4(init, &init_status, 0, &usage) < 0 && errno == EINTR) {
  }
  outcome.wall_s = monotonic_seconds() - started;

  // 8. Collect.
  InitReport from_init;
  parse_report(sv.report, outcome, from_init);
  trace::name_objects_from_creation(outcome.events);
  if (from_init.have_status) {
    if (WIFSIGNALED(from_init.status)) outcome.signal = WTERMSIG(from_init.status);
    else outcome.exit_code = WEXITSTATUS(from_init.status);
  }
  outcome.cpu_s = double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                  double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
  const CgroupStats cg = cgroup ? cgroup->stats() : CgroupStats{};
  outcome.peak_memory_bytes = cg.peak_memory ? cg.peak_memory : uint64_t(usage.ru_maxrss) * 1024;
  outcome.out = std::move(sv.out);
  outcome.err = std::move(sv.err);
  outcome.out_truncated = sv.out_truncated;
  outcome.err_truncated = sv.err_truncated;
  outcome.violations = sv.violations;
  outcome.violation_count = sv.violation_count;

  // 9. Verdict.
  outcome.verdict = decide(outcome, cg, sv, from_init, req.limits, outcome.limit_hit);
  if (outcome.verdict == Verdict::InternalError && outcome.error.empty())
    outcome.error = "the sandbox's init ended without reporting the program's status";

  // 10. Clean up: the work dir goes (unless kept or given, which go back to their owner); the cgroup goes with
  //     its owner.
  if (auto s = workdir.finish(); !s) outcome.notes.push_back("could not remove the work dir: " + s.error().message());
  else if (auto b = req.give_back_workdir ? give_back(workdir, lent) : ok(); !b) outcome.notes.push_back("could not give the work dir back: " + b.error().message());
  else outcome.left_behind = false;
  for (const auto& note : outcome.notes) outcome.left_behind |= note.rfind("could not", 0) == 0;
  return outcome;
}

}  // namespace shm::sandbox
