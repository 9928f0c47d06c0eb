// Running the programs under test: fork/exec with captured output, a timeout that kills, optional rlimits.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace shmtest {

struct ProcessResult {
  int exit_code = -1;  // valid when signal == 0 and !timed_out
  int signal = 0;      // the signal that killed it, if any
  bool timed_out = false;
  std::string out, err;
  bool ok() const { return signal == 0 && !timed_out && exit_code == 0; }
  std::string describe() const;  // for test failure messages
};

struct RunOptions {
  std::string stdin_data;
  unsigned long address_space_bytes = 0;  // RLIMIT_AS, 0 = unlimited
  double timeout_s = 60;
};

// A started child; wait() collects its output and status, killing it at the timeout. Not copyable: the
// process is waited for exactly once (the destructor kills and reaps one that was never waited for).
class Spawned {
 public:
  Spawned(const std::vector<std::string>& argv, const RunOptions& options = {});
  Spawned(Spawned&& other) noexcept;
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;
  ~Spawned();
  ProcessResult wait();

 private:
  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  double timeout_s_;
};

ProcessResult run(const std::vector<std::string>& argv, const RunOptions& options = {});

// The path of a built reference program, e.g. reference_program("counter").
std::string reference_program(const std::string& name);

// A fresh directory under /tmp, removed with everything in it when the object goes.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A name unique to this test process, for shm objects: "/shmtest-PID-TAG".
std::string unique_shm_name(const std::string& tag);

}  // namespace shmtest
