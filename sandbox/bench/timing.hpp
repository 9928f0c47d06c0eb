// What the benchmarks share: the wall time (and peak RSS) of one command, and percentiles of samples.
#pragma once

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include "clock.hpp"

namespace shm::bench {

struct Sample {
  double seconds;
  long max_rss_kib;
  int status;  // as waitpid reports it
  bool ok() const { return WIFEXITED(status) && WEXITSTATUS(status) == 0; }
};

// Runs ARGV (looked up in PATH) with stdout and stderr as they are.
inline Sample time_command(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const double start = monotonic_seconds();
  pid_t pid = fork();
  if (pid == 0) {
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  return {monotonic_seconds() - start, usage.ru_maxrss, status};
}

inline double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, size_t(p * double(v.size())))];
}

}  // namespace shm::bench
