#include "suite_guard.hpp"

#define CATCH_CONFIG_EXTERNAL_INTERFACES  // the listener interface
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

namespace shmtest {
namespace {

int broken = 0;

void add_sysv(std::set<std::string>& out, const std::string& kind) {
  std::ifstream in("/proc/sysvipc/" + kind);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string key, id;
    fields >> key >> id;
    out.insert("sysv " + kind + " id " + id + " (key " + key + ")");
  }
}

struct SuiteGuard : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  std::set<std::string> before;

  void testCaseStarting(const Catch::TestCaseInfo&) override { before = ipc_snapshot(); }

  void testCaseEnded(const Catch::TestCaseStats& stats) override {
    if (stats.totals.assertions.total() == 0) {
      broken++;
      std::cerr << "NO ASSERTIONS: test case '" << stats.testInfo.name << "' checked nothing\n";
    }
    auto added = ipc_added_settled(before);
    if (added.empty()) return;
    broken++;
    std::cerr << "LEAK: test case '" << stats.testInfo.name << "' left behind:\n";
    for (const auto& entry : added) std::cerr << "  " << entry << "\n";
  }
};

CATCH_REGISTER_LISTENER(SuiteGuard)

}  // namespace

std::set<std::string> ipc_snapshot() {
  std::set<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", ec))
    out.insert(entry.path().string());
  for (const char* kind : {"shm", "sem", "msg"}) add_sysv(out, kind);
  for (const auto& entry : std::filesystem::directory_iterator("/tmp", ec))
    if (entry.path().filename().string().rfind("shmgrade-", 0) == 0) out.insert(entry.path().string());
  return out;
}

std::set<std::string> ipc_added(const std::set<std::string>& before, const std::set<std::string>& after) {
  std::set<std::string> added;
  for (const auto& entry : after)
    if (!before.count(entry)) added.insert(entry);
  return added;
}

std::set<std::string> ipc_added_settled(const std::set<std::string>& before) {
  auto added = ipc_added(before, ipc_snapshot());
  for (int i = 0; i < 300 && !added.empty(); i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    added = ipc_added(before, ipc_snapshot());
  }
  return added;
}

int broken_test_cases() { return broken; }

}  // namespace shmtest
