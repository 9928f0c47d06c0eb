#include "process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace shmtest {
namespace {

double now_s() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

[[noreturn]] void throw_errno(const std::string& what) {
  throw std::system_error(errno, std::generic_category(), what);
}

}  // namespace

std::string ProcessResult::describe() const {
  std::string s = timed_out ? "timed out" : signal ? "killed by signal " + std::to_string(signal)
                                                   : "exit " + std::to_string(exit_code);
  return s + "\n--- stdout ---\n" + out.substr(0, 2000) + "\n--- stderr ---\n" + err.substr(0, 2000);
}

Spawned::Spawned(const std::vector<std::string>& argv, const RunOptions& options) : timeout_s_(options.timeout_s) {
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) < 0 || pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0)
    throw_errno("pipe2");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  pid_ = fork();
  if (pid_ < 0) throw_errno("fork");
  if (pid_ == 0) {
    setpgid(0, 0);  // its own group: a timeout kills every process it started
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (options.address_space_bytes) {
      rlimit limit{options.address_space_bytes, options.address_space_bytes};
      setrlimit(RLIMIT_AS, &limit);
    }
    execv(args[0], args.data());
    dprintf(2, "exec %s: %s\n", args[0], strerror(errno));
    _exit(127);
  }
  setpgid(pid_, pid_);
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // Small inputs only: written whole before the child runs far enough to fill its output pipes.
  if (!options.stdin_data.empty() &&
      write(in_pipe[1], options.stdin_data.data(), options.stdin_data.size()) < 0)
    throw_errno("write stdin");
  close(in_pipe[1]);
  out_ = out_pipe[0];
  err_ = err_pipe[0];
}

Spawned::Spawned(Spawned&& other) noexcept : pid_(other.pid_), out_(other.out_), err_(other.err_),
                                             timeout_s_(other.timeout_s_) {
  other.pid_ = -1;
  other.out_ = other.err_ = -1;
}

Spawned::~Spawned() {
  if (pid_ > 0) {
    kill(-pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  if (out_ >= 0) close(out_);
  if (err_ >= 0) close(err_);
}

ProcessResult Spawned::wait() {
  ProcessResult result;
  const double deadline = now_s() + timeout_s_;
  pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    int wait_ms = int((deadline - now_s()) * 1000);
    if (wait_ms <= 0) {
      result.timed_out = true;
      kill(-pid_, SIGKILL);
      break;
    }
    int n = poll(fds, 2, wait_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw_errno("poll");
    for (int i = 0; i < 2; i++) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      if (r > 0) {
        sinks[i]->append(buf, size_t(r));
      } else {
        fds[i].fd = -1;  // EOF: the child (and anything it started) closed this output
        open_fds--;
      }
    }
  }
  int status = 0;
  if (waitpid(pid_, &status, 0) < 0) throw_errno("waitpid");
  kill(-pid_, SIGKILL);  // stragglers in its group
  pid_ = -1;
  if (!result.timed_out) {
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    else result.exit_code = WEXITSTATUS(status);
  }
  return result;
}

ProcessResult run(const std::vector<std::string>& argv, const RunOptions& options) {
  return Spawned(argv, options).wait();
}

std::string reference_program(const std::string& name) { return std::string(REFERENCE_BIN_DIR) + "/" + name; }

TempDir::TempDir() {
  char tmpl[] = "/tmp/shmtest-XXXXXX";
  if (!mkdtemp(tmpl)) throw_errno("mkdtemp");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string unique_shm_name(const std::string& tag) {
  return "/shmtest-" + std::to_string(getpid()) + "-" + tag;
}

}  // namespace shmtest
