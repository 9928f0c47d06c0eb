// trace_bench — the tracer's cost, side by side in one run, interleaved, medians of RUNS:
//   workload A (40,000 traced calls among 240,000): shmgrade trace against strace --seccomp-bpf
//   workload B (2,000,000 untraced calls): shmgrade trace against native
// Also the cost per traced call: (shmgrade on A - native on A) / 40,000.
// B is also run under a one-instruction allow-all seccomp filter (SECCOMP_FLOOR) and under `shmgrade run`
// (the sandbox without the tracer), so that its ratio splits into what any seccomp filter costs on this
// kernel, what the sandbox adds (start-up, namespaces), and what the tracer adds.
// usage: trace_bench SHMGRADE WORKLOAD SECCOMP_FLOOR [--runs N]
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include "timing.hpp"

namespace {

double time_command(const std::vector<std::string>& argv) {
  const shm::bench::Sample s = shm::bench::time_command(argv);
  if (!s.ok()) {
    std::fprintf(stderr, "trace_bench: %s failed (status %d)\n", argv[0].c_str(), s.status);
    std::exit(1);
  }
  return s.seconds;
}

double median(const std::vector<double>& v) { return shm::bench::percentile(v, 0.5); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && !(argc == 6 && std::strcmp(argv[4], "--runs") == 0)) {
    std::fprintf(stderr, "usage: trace_bench SHMGRADE WORKLOAD SECCOMP_FLOOR [--runs N]\n");
    return 2;
  }
  const std::string shmgrade = argv[1], workload = argv[2], seccomp_floor = argv[3];
  int runs = argc == 6 ? std::max(3, std::atoi(argv[5])) : 7;
  const std::map<std::string, std::vector<std::string>> commands = {
      {"A native", {workload, "A"}},
      {"A strace --seccomp-bpf", {"strace", "-f", "--seccomp-bpf", "-e", "trace=mmap,munmap,msync", "-o", "/dev/null",
                                  workload, "A"}},
      {"A shmgrade trace", {shmgrade, "trace", "--events", "/dev/null", "--", workload, "A"}},
      {"B native", {workload, "B"}},
      {"B shmgrade trace", {shmgrade, "trace", "--events", "/dev/null", "--", workload, "B"}},
      {"B allow-all seccomp", {seccomp_floor, workload, "B"}},
      {"B shmgrade run", {shmgrade, "run", "--", workload, "B"}},
  };
  std::map<std::string, std::vector<double>> times;
  for (int r = 0; r < runs; r++)
    for (const auto& [name, argv_] : commands) times[name].push_back(time_command(argv_));

  std::printf("%-26s %10s\n", "command", "median s");
  for (const auto& [name, t] : times) std::printf("%-26s %10.3f\n", name.c_str(), median(t));
  const double a_ratio = median(times["A shmgrade trace"]) / median(times["A strace --seccomp-bpf"]);
  const double b_ratio = median(times["B shmgrade trace"]) / median(times["B native"]);
  const double b_floor = median(times["B allow-all seccomp"]) / median(times["B native"]);
  const double b_sandbox = median(times["B shmgrade run"]) / median(times["B allow-all seccomp"]);
  const double b_tracer = median(times["B shmgrade trace"]) / median(times["B shmgrade run"]);
  std::printf("B, %.2f x native = %.2f (any seccomp filter: allow-all, no sandbox) x %.2f (the sandbox: start-up, "
              "namespaces, its policy) x %.2f (the tracer)\n",
              b_ratio, b_floor, b_sandbox, b_tracer);
  const double per_call_us = (median(times["A shmgrade trace"]) - median(times["A native"])) / 40000 * 1e6;
  std::printf("(%d interleaved runs each; targets: A <= 1.00x strace --seccomp-bpf, B <= 1.10x native)\n", runs);
  std::printf("tracer: %.2f x strace --seccomp-bpf, %.2f x native, %.1f us per traced call\n", a_ratio, b_ratio,
              per_call_us);
  return 0;
}
