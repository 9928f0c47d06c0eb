// grade_bench — the wall time of `shmgrade grade counter` on the reference solution against one plain
// `cc -O2 -g` compile of the same sources, interleaved round by round so that machine noise hits both alike.
// usage: grade_bench SHMGRADE SUBMISSION_DIR [--runs N]
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/timing.hpp"

namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: grade_bench SHMGRADE SUBMISSION_DIR [--runs N]\n");
    return 2;
  }
  int runs = 15;
  if (argc == 5 && std::strcmp(argv[3], "--runs") == 0) runs = std::max(3, std::atoi(argv[4]));
  const std::string submission = argv[2];
  const fs::path out = fs::temp_directory_path() / ("grade_bench-" + std::to_string(getpid()));
  std::vector<std::string> compile = {"cc", "-std=gnu17", "-O2", "-g", "-Wall", "-pthread"};
  for (const auto& entry : fs::directory_iterator(submission))
    if (entry.path().extension() == ".c") compile.push_back(entry.path().string());
  compile.insert(compile.end(), {"-o", out.string(), "-lrt"});
  const std::vector<std::string> grade = {argv[1], "grade", "counter", submission, "--format", "json", "--out", out.string() + ".json"};

  using shm::bench::time_command;
  time_command(compile);  // warm the page cache and the compiler
  time_command(grade);
  std::vector<double> t_grade, t_compile;
  for (int i = 0; i < runs; i++) {
    for (int which : {i % 2, 1 - i % 2}) {
      const shm::bench::Sample s = time_command(which == 0 ? grade : compile);
      if (!s.ok()) {
        std::fprintf(stderr, "grade_bench: %s failed (status %d)\n", which == 0 ? "shmgrade grade" : "cc", s.status);
        return 1;
      }
      (which == 0 ? t_grade : t_compile).push_back(s.seconds);
    }
  }
  std::error_code ec;
  fs::remove(out, ec);
  fs::remove(out.string() + ".json", ec);
  using shm::bench::percentile;
  std::printf("%-22s %10s %10s %10s\n", "", "median ms", "p10 ms", "p90 ms");
  std::printf("%-22s %10.1f %10.1f %10.1f\n", "shmgrade grade counter", 1e3 * percentile(t_grade, 0.5),
              1e3 * percentile(t_grade, 0.1), 1e3 * percentile(t_grade, 0.9));
  std::printf("%-22s %10.1f %10.1f %10.1f\n", "cc -O2 -g (same files)", 1e3 * percentile(t_compile, 0.5),
              1e3 * percentile(t_compile, 0.1), 1e3 * percentile(t_compile, 0.9));
  std::printf("(%d interleaved rounds; the grade builds in the sandbox and runs every test, traced; target <= 6x)\n", runs);
  std::printf("grade: %.2f x one compile\n", percentile(t_grade, 0.5) / percentile(t_compile, 0.5));
  return 0;
}
