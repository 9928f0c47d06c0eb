// data-race: each race the race detector reported, at the student's line of the later access, naming both
// accesses and the shared object. No pids: they depend on the order processes start in, and a finding must
// not.
#include <algorithm>

#include "analyze.hpp"

namespace shm::findings {

namespace {
struct Who {
  const char *first, *second;
};
const Who kProcesses = {"one process", "another"}, kThreads = {"one thread", "another thread"};
const Who kProcessesZh = {"一个进程", "另一个进程"}, kThreadsZh = {"一个线程", "另一个线程"};

std::string place(const engine::RaceAccess& a) { return a.file.empty() ? "?" : a.file + ":" + std::to_string(a.line); }

std::string in_english(const engine::RaceAccess& a, const char* who) {
  return std::string(a.write ? "the write" : "the read") + " at " + place(a) + " in " + who;
}

std::string in_chinese(const engine::RaceAccess& a, const char* who) {
  return std::string(who) + "在 " + place(a) + " 的" + (a.write ? "写" : "读");
}
}  // namespace

void race_findings(const RunView& view, Findings& out) {
  // Which pairs of a racy line the detector met first depends on the schedule; one finding is kept per line,
  // so it is the least pair in a fixed order, the same in every run that saw it.
  std::vector<engine::Race> races = view.run.races;
  auto key = [](const engine::Race& r) {
    return std::tie(r.access.file, r.access.line, r.previous.file, r.previous.line, r.access.write, r.previous.write,
                    r.object, r.offset);
  };
  std::sort(races.begin(), races.end(), [&](const auto& a, const auto& b) { return key(a) < key(b); });
  for (const auto& race : races) {
    const bool threads = race.access.pid == race.previous.pid;  // two threads of one process
    const Who& en = threads ? kThreads : kProcesses;
    const Who& zh = threads ? kThreadsZh : kProcessesZh;
    auto f = make_finding("data-race", view, race.access.file, race.access.line);
    std::string access = in_english(race.access, en.first);
    access[0] = 'T';  // "The write ..."
    f.detail = {{"access", access},
                {"access_zh", in_chinese(race.access, zh.first)},
                {"other", in_english(race.previous, en.second)},
                {"other_zh", in_chinese(race.previous, zh.second)},
                {"object", race.threads_only ? race.object : race.object + " at offset " + std::to_string(race.offset)},
                {"object_zh", race.threads_only ? race.object : race.object + " 偏移 " + std::to_string(race.offset)}};
    out.push_back(f);
  }
}

}  // namespace shm::findings
