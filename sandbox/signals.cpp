#include "signals.hpp"

#include <signal.h>
#include <string.h>

namespace shm {

std::string signal_name(int sig) {
  if (sig < 1 || sig > 64) return "signal " + std::to_string(sig);
  if (const char* abbrev = sigabbrev_np(sig)) return std::string("SIG") + abbrev;
  const int min = SIGRTMIN, max = SIGRTMAX;  // glibc keeps the first few kernel real-time signals for itself
  if (sig < min || sig > max) return "SIG" + std::to_string(sig);
  if (sig == min) return "SIGRTMIN";
  if (sig == max) return "SIGRTMAX";
  // As bash's `kill -l`: the lower half counts up from SIGRTMIN, the upper half down from SIGRTMAX.
  if (sig - min <= (max - min) / 2) return "SIGRTMIN+" + std::to_string(sig - min);
  return "SIGRTMAX-" + std::to_string(max - sig);
}

std::string signal_description(int sig) {
  if (const char* d = sigdescr_np(sig)) return d;
  if (sig >= SIGRTMIN && sig <= SIGRTMAX) return "Real-time signal " + std::to_string(sig - SIGRTMIN);
  return "Unknown signal " + std::to_string(sig);
}

}  // namespace shm
