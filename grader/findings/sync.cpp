// Locks that cannot work between processes, seen in the futex calls of a contended lock: a private futex
// (FUTEX_PRIVATE_FLAG) on a word in a shared mapping is a mutex or semaphore initialised without pshared
// (mutex-not-pshared); a futex on a word outside every shared mapping, in a program of several processes none
// of which started a thread, is a lock each process only has a private copy of (sync-not-shared).
#include <set>

#include "analyze.hpp"

namespace shm::findings {

namespace {
// Each finding is placed at the line that initialised or used the lock. (Its address changes from run to run
// with the address-space layout, so a message naming it would not be the same twice.)
const std::pair<std::string, std::string> kThisLine = {"addr", "this line"}, kThisLineZh = {"addr_zh", "此行"};
}  // namespace

void sync_findings(const RunView& view, Findings& out) {
  // The race build saw each lock initialised and used, contended or not.
  for (const auto& m : view.run.lock_misuse) {
    auto f = make_finding(m.kind, view, m.file, m.line);
    f.detail = {kThisLine, kThisLineZh, {"backing", m.object}, {"processes", "several"},
                {"processes_zh", "多"}, {"backing_zh", m.object == "private memory" ? "私有内存" : m.object}};
    out.push_back(f);
  }
  const auto& events = view.run.outcome.events;
  std::set<int> processes, threaded;
  for (const auto& e : events) {
    processes.insert(e.pid);
    if (e.syscall == "thread") threaded.insert({e.pid, int(e.result)});
  }
  for (size_t i = 0; i < events.size(); i++) {
    const auto& e = events[i];
    if (e.syscall != "futex" || !by_student(e)) continue;
    const trace::Mapping* m = view.before[i].mapping ? &*view.before[i].mapping : nullptr;
    if (m && m->shared && e.has_flag("op", "FUTEX_PRIVATE_FLAG")) {
      auto f = make_finding("mutex-not-pshared", view, e.file, e.line);
      f.detail = {kThisLine, kThisLineZh, {"backing", m->backing}};
      out.push_back(f);
    } else if ((!m || !m->shared) && processes.size() > 1 && threaded.empty()) {
      auto f = make_finding("sync-not-shared", view, e.file, e.line);
      f.detail = {kThisLine, kThisLineZh, {"processes", std::to_string(processes.size())},
                  {"backing", m ? "MAP_PRIVATE " + m->backing : "globals, stack or heap"},
                  {"backing_zh", m ? "MAP_PRIVATE " + m->backing : "全局变量、栈或堆"}};
      out.push_back(f);
    }
  }
}

}  // namespace shm::findings
