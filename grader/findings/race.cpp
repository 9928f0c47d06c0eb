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
    f.detail = {{"access", "An access at " + place(race.access) + " in " + en.first},
                {"access_zh", std::string(zh.first) + "在 " + place(race.access) + " 的访问"},
                {"other", "one at " + place(race.previous) + " in " + en.second + " (at least one of them a write)"},
                {"other_zh", std::string(zh.second) + "在 " + place(race.previous) + " 的访问（至少其一是写）"},
                {"object", race.object},
                {"object_zh", race.object}};
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
