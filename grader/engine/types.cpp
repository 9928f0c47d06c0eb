#include "types.hpp"

namespace shm::engine {

const char* test_status_name(TestStatus s) {
  static const char* const names[] = {"passed", "failed", "timeout", "crashed", "skipped"};
  return names[int(s)];
}

}  // namespace shm::engine
