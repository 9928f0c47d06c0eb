#include "types.hpp"

namespace shm::engine {

std::filesystem::path BuildResult::executable(const std::string& name, Flavour flavour) const {
  static const char* const suffixes[] = {"", ".race", ".tsan"};
  return workdir / (name + suffixes[int(flavour)]);
}

std::map<std::string, std::filesystem::path> BuildResult::race_builds() const {
  std::map<std::string, std::filesystem::path> builds;
  for (const auto& name : programs) builds[name] = executable(name, Flavour::Race);
  return builds;
}

const char* test_status_name(TestStatus s) {
  static const char* const names[] = {"passed", "failed", "timeout", "crashed", "skipped"};
  return names[int(s)];
}

}  // namespace shm::engine
