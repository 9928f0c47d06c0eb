// start_bench — start-to-exit time of a sandboxed /bin/true, `shmgrade run` (every mechanism on: user, pid,
// mount, ipc, net and uts namespaces, cgroup, seccomp, rlimits) against bubblewrap, interleaved run by run
// so that machine noise hits both alike. Also the supervisor's peak memory (max RSS).
// usage: start_bench SHMGRADE [--runs N]
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "timing.hpp"

using shm::bench::percentile;
using shm::bench::Sample;
using shm::bench::time_command;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: start_bench SHMGRADE [--runs N]\n");
    return 2;
  }
  int runs = 100;  // pairs; fewer let a noisy minute decide the median
  if (argc == 4 && std::strcmp(argv[2], "--runs") == 0) runs = std::max(3, std::atoi(argv[3]));
  const std::vector<std::string> ours = {argv[1], "run", "--", "/bin/true"};
  const std::vector<std::string> bwrap = {"/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                                          "--dev", "/dev", "--proc", "/proc", "/bin/true"};
  // Warm both (page cache, dynamic loader) before measuring.
  time_command(ours);
  time_command(bwrap);
  std::vector<double> t_ours, t_bwrap;
  long rss_ours = 0, rss_bwrap = 0;
  for (int i = 0; i < runs; i++) {
    for (int which : {i % 2, 1 - i % 2}) {  // alternate who goes first
      Sample s = time_command(which == 0 ? ours : bwrap);
      if (!WIFEXITED(s.status) || WEXITSTATUS(s.status) != 0) {
        std::fprintf(stderr, "start_bench: %s failed (status %d)\n", which == 0 ? "shmgrade run" : "bwrap", s.status);
        return 1;
      }
      (which == 0 ? t_ours : t_bwrap).push_back(s.seconds);
      long& rss = which == 0 ? rss_ours : rss_bwrap;
      rss = std::max(rss, s.max_rss_kib);
    }
  }
  std::printf("%-14s %10s %10s %10s %14s\n", "runner", "median ms", "p10 ms", "p90 ms", "peak RSS KiB");
  std::printf("%-14s %10.2f %10.2f %10.2f %14ld\n", "shmgrade run", 1e3 * percentile(t_ours, 0.5),
              1e3 * percentile(t_ours, 0.1), 1e3 * percentile(t_ours, 0.9), rss_ours);
  std::printf("%-14s %10.2f %10.2f %10.2f %14ld\n", "bwrap", 1e3 * percentile(t_bwrap, 0.5),
              1e3 * percentile(t_bwrap, 0.1), 1e3 * percentile(t_bwrap, 0.9), rss_bwrap);
  std::printf("(%d interleaved runs each; target: shmgrade median <= bwrap median)\n", runs);
  std::printf("sandbox: %.2f x bwrap\n", percentile(t_ours, 0.5) / percentile(t_bwrap, 0.5));
  return 0;
}
