#include "types.hpp"

namespace shm::engine {

std::filesystem::path BuildResult::executable(const std::string& name, Flavour flavour) const {
  static const char* const suffixes[] = {"", ".race", ".tsan"};
  return workdir / (name + suffixes[int(flavour)]);
}

const char* test_status_name(TestStatus s) {
  static const char* const names[] = {"passed", "failed", "timeout", "crashed", "skipped"};
  return names[int(s)];
}

}  // namespace shm::engine
