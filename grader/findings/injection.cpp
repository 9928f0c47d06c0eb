// map-failed-unchecked: in a test that makes the student's mmap (or shm_open, shmat, sem_open) fail on
// purpose, the program must notice and exit with the status the test expects. If it does not, the finding
// points at the failed call, or at the line that compares its result with NULL when there is one.
#include <fstream>
#include <regex>

#include "analyze.hpp"
#include "signals.hpp"

namespace shm::findings {

namespace {

// The line within a few lines after LINE of FILE that compares a pointer with NULL (or tests it with !p):
// mmap and shmat never return NULL, so such a check never fires.
int null_comparison_line(const std::filesystem::path& file, int line) {
  std::ifstream in(file);
  static const std::regex kNullTest(R"((==|!=)\s*(NULL|0|\(void\s*\*\)\s*0)\b|\b(NULL)\s*(==|!=)|if\s*\(\s*!\s*[A-Za-z_])");
  std::string text;
  for (int n = 1; std::getline(in, text); n++) {
    if (n < line) continue;
    if (n > line + 4) break;
    if (text.find("MAP_FAILED") != std::string::npos || text.find("SEM_FAILED") != std::string::npos) return 0;
    if (text.size() > 1024) text.resize(1024);  // the student's line: std::regex recurses per character
    if (std::regex_search(text, kNullTest)) return n;
  }
  return 0;
}

}  // namespace

void injection_findings(const RunView& view, Findings& out) {
  if (view.test.injections.empty() || view.run.status == engine::TestStatus::Passed) return;
  const trace::Event* injected = nullptr;
  for (const auto& e : view.run.outcome.events)
    if (e.injected && !injected) injected = &e;
  if (!injected) return;  // the program never made the call: nothing to say about handling it
  const auto& o = view.run.outcome;
  std::string outcome, outcome_zh;
  if (o.verdict == sandbox::Verdict::Signal) {
    outcome = "it was killed by " + signal_name(o.signal);
    outcome_zh = "它被 " + signal_name(o.signal) + " 终止";
  } else if (o.verdict == sandbox::Verdict::Timeout) {
    outcome = "it hung until the time limit";
    outcome_zh = "它一直挂起直到超时";
  } else {
    outcome = "it exited with status " + std::to_string(o.exit_code) + " instead of " + std::to_string(view.test.exit_status);
    outcome_zh = "它以状态 " + std::to_string(o.exit_code) + " 退出，而不是 " + std::to_string(view.test.exit_status);
  }
  std::string call = injected->syscall;
  if (injected->object.rfind("shm:", 0) == 0) call = "shm_open";
  if (injected->object.rfind("sem:", 0) == 0) call = "sem_open";
  int line = injected->line;
  if (const int null_line = null_comparison_line(view.submission / injected->file, injected->line)) {
    line = null_line;
    outcome += "; line " + std::to_string(null_line) + " compares the result with NULL, but " + call + " returns " +
               (call == "shm_open" ? "-1" : call == "sem_open" ? "SEM_FAILED" : "MAP_FAILED ((void *) -1)") + " on failure";
    outcome_zh += "；第 " + std::to_string(null_line) + " 行把返回值与 NULL 比较，但 " + call + " 失败时返回 " +
                  (call == "shm_open" ? "-1" : call == "sem_open" ? "SEM_FAILED" : "MAP_FAILED（(void *) -1）");
  }
  auto f = make_finding("map-failed-unchecked", view, injected->file, line);
  f.detail = {{"call", call}, {"errno", trace::errno_name(injected->err)}, {"outcome", outcome}, {"outcome_zh", outcome_zh}};
  out.push_back(f);
}

}  // namespace shm::findings
