// data-race: each race the race detector reported, at the student's line of the later access, naming both
// accesses and the shared object. No pids: they depend on the order processes start in, and a finding must
// not.
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
  for (const auto& race : view.run.races) {
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
