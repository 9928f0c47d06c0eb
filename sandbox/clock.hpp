// Monotonic seconds, for deadlines and measured durations; the wall clock's time of day, for people.
#pragma once
#include <time.h>

#include <cstdint>
#include <string>

namespace shm {
inline double monotonic_seconds() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// EPOCH (seconds) as FORMAT (strftime's), in UTC or local time.
inline std::string time_text(int64_t epoch, const char* format, bool utc) {
  const time_t t = time_t(epoch);
  tm parts{};
  utc ? gmtime_r(&t, &parts) : localtime_r(&t, &parts);
  char buf[64];
  strftime(buf, sizeof buf, format, &parts);
  return buf;
}

// "21:04:05": now, local time.
inline std::string clock_time() { return time_text(time(nullptr), "%H:%M:%S", false); }
}  // namespace shm
