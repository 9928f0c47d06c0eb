// A signal's name and description: the one place that turns a signal number into text (1..64, real-time
// signals included), so no caller handles libc's NULL for the numbers it has no abbreviation for.
#pragma once

#include <string>

namespace shm {

// "SIGSEGV", "SIGRTMIN+2", "SIGRTMAX-3" (as `kill -l` names them), "SIG32"; "signal 99" out of range.
std::string signal_name(int sig);
// "Segmentation fault", "Real-time signal 2"; never empty.
std::string signal_description(int sig);

}  // namespace shm
