// unwaited-children (a process exited with children it forked still unwaited) and ipc-leak (the sandbox
// found IPC objects after the run, pointed at the call that created each).
#include <algorithm>
#include <set>
#include <sstream>

#include "analyze.hpp"
#include "engine/children.hpp"

namespace shm::findings {

namespace {

const trace::Event* creator_of(const sandbox::Leftover& left, const std::vector<trace::Event>& events) {
  for (const auto& e : events) {
    if (e.err || !by_student(e)) continue;
    if (left.kind == "posix-shm" && e.object == "shm:" + left.name) return &e;
    if (left.kind == "posix-sem" && e.object == "sem:" + left.name) return &e;
    if (left.kind == "sysv-shm" && e.syscall == "shmget" && left.name.rfind("id " + std::to_string(e.result) + " ", 0) == 0)
      return &e;
  }
  return nullptr;
}

}  // namespace

void process_findings(const RunView& view, Findings& out) {
  const auto& events = view.run.outcome.events;
  std::set<std::string> still_running;  // killed because the run ended (its top process had exited)
  for (const auto& e : events)
    if (e.syscall == "killed" && e.text_arg("reason") == "run ended") still_running.insert(std::to_string(e.pid));
  for (const auto& e : events) {
    if (e.syscall != "exit") continue;
    const trace::Event* fork = nullptr;
    const std::vector<std::string> children = engine::unwaited_student_children(e, events, fork);
    if (!fork) continue;  // children of the test's shell, or none
    auto f = make_finding("unwaited-children", view, fork->file, fork->line);
    for (size_t i = 0; i < std::min<size_t>(children.size(), 5); i++) {
      const bool killed = still_running.count(children[i]);
      f.detail["children"] += (i ? ", " : "") + children[i] + (killed ? " (still running when the program ended: killed with the run)" : "");
      f.detail["children_zh"] += (i ? "、" : "") + children[i] + (killed ? "（程序结束时仍在运行，随运行一起被杀死）" : "");
    }
    if (children.size() > 5)
      for (const char* key : {"children", "children_zh"}) f.detail[key] += ", ... (" + std::to_string(children.size()) + ")";
    out.push_back(f);
  }
  static const std::map<std::string, std::pair<std::string, std::string>> kKinds = {
      {"posix-shm", {"the POSIX shm object", "POSIX 共享内存对象"}}, {"posix-sem", {"the named semaphore", "有名信号量"}},
      {"posix-mq", {"the message queue", "消息队列"}},               {"sysv-shm", {"the System V segment", "System V 共享内存段"}},
      {"sysv-sem", {"the System V semaphore set", "System V 信号量集"}}, {"sysv-msg", {"the System V message queue", "System V 消息队列"}}};
  // A run cut short by a crash or the time limit never reached its clean-up: what it left says nothing more.
  const bool cut_short = !sandbox::ended_by_itself(view.run.outcome.verdict);
  // A process killed by a signal crashed; one killed because the run ended (an orphan still running) did not.
  const bool crashed = std::any_of(events.begin(), events.end(), [](const auto& e) {
    return e.syscall == "killed" && e.text_arg("reason") != "run ended";
  });
  if (cut_short || crashed || events.empty()) return;  // untraced (the race build's runs): the traced ones say it
  for (const auto& left : view.run.outcome.leftovers) {
    const trace::Event* at = creator_of(left, events);
    auto f = make_finding("ipc-leak", view, at ? at->file : "", at ? at->line : 0);
    auto kind = kKinds.find(left.kind);
    f.detail = {{"kind", kind != kKinds.end() ? kind->second.first : left.kind},
                {"kind_zh", kind != kKinds.end() ? kind->second.second : left.kind}, {"name", left.name},
                {"how", "the program never removed it"}, {"how_zh", "程序从未删除它"}};
    // Left only on the path where the grader made a call fail: that error path is the one to fix.
    if (!view.test.injections.empty()) {
      const std::string injected = trace::describe_injection(view.test.injections.front());
      f.detail["how"] = "in the run where " + injected + ", the program exited without removing it (the error path "
                        "must remove what was made before the failure)";
      f.detail["how_zh"] = "在评分器注入失败（" + injected + "）的那次运行中，程序退出前没有删除它（出错路径也必须删除失败前已创建的对象）";
    }
    out.push_back(f);
  }
}

}  // namespace shm::findings
