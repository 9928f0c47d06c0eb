// Monotonic seconds, for deadlines and measured durations.
#pragma once
#include <time.h>

namespace shm {
inline double monotonic_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}
}  // namespace shm
