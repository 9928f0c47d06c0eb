// Two rules for every test case, enforced by a Catch2 listener (main() fails the run when one is broken):
// it leaves the host as it found it (no new /dev/shm entries, SysV segments, semaphore sets or message
// queues, and no /tmp/shmgrade-* work dir), and it asserts something (a test that only runs code proves nothing).
#pragma once

#include <set>
#include <string>

namespace shmtest {

// What exists now: "/dev/shm/NAME", "sysv shm|sem|msg ID (key K)" and "/tmp/shmgrade-..." entries.
std::set<std::string> ipc_snapshot();
// Entries in AFTER that are not in BEFORE.
std::set<std::string> ipc_added(const std::set<std::string>& before, const std::set<std::string>& after);
// Entries added since BEFORE once the kernel has settled: processes killed a moment ago may still be
// exiting, and a segment marked IPC_RMID is listed until its last detach. Waits up to 3 s for them.
std::set<std::string> ipc_added_settled(const std::set<std::string>& before);
// Number of test cases that broke a rule; main() turns a non-zero count into a failing exit status.
int broken_test_cases();

}  // namespace shmtest
