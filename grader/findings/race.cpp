// data-race: each race the race detector reported, at the lesser of its two lines, naming both accesses and
// the shared object. No pids: they depend on the order processes start in, and a finding must
// not.
#include <algorithm>
#include <map>
#include <set>

#include "analyze.hpp"

namespace shm::findings {

namespace {
struct Who {
  const char *first, *second;
};
const Who kProcesses = {"one process", "another"}, kThreads = {"one thread", "another thread"};
const Who kProcessesZh = {"一个进程", "另一个进程"}, kThreadsZh = {"一个线程", "另一个线程"};

std::string place(const race::RaceAccess& a) { return a.file.empty() ? "?" : a.file + ":" + std::to_string(a.line); }
// With the provided helper's line the access was made at, when it was made in one.
std::string place_via(const race::RaceAccess& a) { return place(a) + (a.via.empty() ? "" : " (via " + a.via + ")"); }

// A capacity of the race detector the run reached: what it could not check (once per kind, by analyze).
void race_limit_findings(const RunView& view, Findings& out) {
  static const std::map<std::string, std::string> kWhatZh = {
      {"threads and processes", "线程和进程"}, {"locks and other synchronisation objects", "锁和其他同步对象"},
      {"semaphores", "信号量"}, {"shared words", "共享字"}};
  for (const auto& limit : view.run.race_limits) {
    auto f = make_finding("race-check-incomplete", view);
    const auto zh = kWhatZh.find(limit.what);
    f.detail = {{"max", std::to_string(limit.max)}, {"what", limit.what},
                {"what_zh", zh != kWhatZh.end() ? zh->second : limit.what}};
    out.push_back(f);
  }
}

}  // namespace

RaceExplanation explain_race(const race::Race& r, catalogue::Lang lang) {
  const bool zh = lang == catalogue::Lang::Zh;
  if (r.initialisation) {
    const std::string init = place(r.access.write ? r.access : r.previous);
    if (zh)
      return {"该对象在初始化完成之前就能按名字打开：" + init +
                  " 是创建者对这些字节的第一次写，另一个进程可能在写之前或写的同时打开对象并访问它们，没有任何东西给二者定序",
              "只在初始化完成后才发布对象（创建者初始化后 post 一个具名信号量，其他程序在第一次访问前先 wait 它），"
              "或者先以临时名字创建，初始化后再 rename 到正式名字"};
    return {"the object was reachable by name before it was initialised: " + init +
                " is its creator's first write of these bytes, and the other process could open the object and reach "
                "them before or while they were written, with nothing ordering the two",
            "publish the object only once it is initialised (the creator posts a named semaphore after initialising, "
            "and every other program waits for it before its first access), or create it under a temporary name and "
            "rename it into place"};
  }
  if (zh)
    return {"没有任何锁、信号量、fork 或 wait 给它们定序", "把两个访问放在同一个进程共享的锁或信号量之下，或者改用原子操作"};
  return {"neither is ordered before the other by a lock, semaphore, fork or wait",
          "put both under the same process-shared lock or semaphore, or make them atomic"};
}

void race_findings(const RunView& view, Findings& out) {
  // Which pairs of a racy line the detector meets, which of the two accesses writes and at which offset depend
  // on the schedule; a finding must not. So one finding per line, naming the least line it races with and the
  // object, and neither the kinds of access nor the offset (the message is the same in every run that saw it).
  // The two accesses of a race come in either order (which one was "later" is the schedule's), so the pair is
  // put in one order first: the finding sits at its lesser line, naming the other.
  std::vector<race::Race> races = view.run.races;
  for (auto& r : races)
    if (!r.previous.file.empty() && std::tie(r.previous.file, r.previous.line) < std::tie(r.access.file, r.access.line))
      std::swap(r.access, r.previous);
  auto key = [](const race::Race& r) { return std::tie(r.access.file, r.access.line, r.previous.file, r.previous.line); };
  std::sort(races.begin(), races.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  for (size_t i = 0; i < races.size(); i++) {
    const auto& race = races[i];
    if (i > 0 && place(races[i - 1].access) == place(race.access)) continue;  // the line's least pair is kept
    const bool threads = race.access.pid == race.previous.pid;  // two threads of one process
    const Who& en = threads ? kThreads : kProcesses;
    const Who& zh = threads ? kThreadsZh : kProcessesZh;
    auto f = make_finding("data-race", view, race.access.file, race.access.line);
    f.schedule_dependent = true;
    f.detail = {{"access", "An access at " + place_via(race.access) + " in " + en.first},
                {"access_zh", std::string(zh.first) + "在 " + place_via(race.access) + " 的访问"},
                {"other", "one at " + place_via(race.previous) + " in " + en.second + " (at least one of them a write)"},
                {"other_zh", std::string(zh.second) + "在 " + place_via(race.previous) + " 的访问（至少其一是写）"},
                {"object", race.object},
                {"object_zh", race.object}};
    // The explanation and, for an initialisation, its own fix (the catalogue's hint is the lock's).
    for (const auto lang : {catalogue::Lang::En, catalogue::Lang::Zh}) {
      const RaceExplanation e = explain_race(race, lang);
      const bool zh = lang == catalogue::Lang::Zh;
      f.detail[zh ? "why_zh" : "why"] = race.initialisation ? e.why + (zh ? "；" : ": ") + e.fix : e.why;
    }
    out.push_back(f);
  }
  race_limit_findings(view, out);
}

std::vector<bool> decided_by_race(const spec::AssignmentSpec& spec, const std::vector<engine::RunResult>& runs) {
  std::set<std::vector<std::string>> raced;
  for (const auto& r : runs)
    if (!r.races.empty() && spec::racing(spec.tests.at(r.test))) raced.insert(*spec::race_variant(spec, spec.tests.at(r.test)));
  std::vector<bool> decided;
  for (const auto& t : spec.tests) {
    const auto variant = spec::race_variant(spec, t);
    decided.push_back(variant && raced.count(*variant));
  }
  return decided;
}

}  // namespace shm::findings
