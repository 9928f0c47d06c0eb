// Loading the seccomp policy in the program's process: the BPF was compiled by libseccomp when shmgrade was
// built (tools/seccomp_bpf_gen writes seccomp_bpf.gen.cpp), so this is one system call.
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.hpp"

namespace shm::sandbox {

extern const sock_filter kPlainPolicyBpf[], kWatchedPolicyBpf[], kTracedPolicyBpf[], kTracedWatchedPolicyBpf[];
extern const size_t kPlainPolicyBpfLength, kWatchedPolicyBpfLength, kTracedPolicyBpfLength,
    kTracedWatchedPolicyBpfLength;

std::vector<sock_filter> built_seccomp_policy(SeccompPolicy policy) {
  switch (policy) {
    case SeccompPolicy::Plain: return {kPlainPolicyBpf, kPlainPolicyBpf + kPlainPolicyBpfLength};
    case SeccompPolicy::Watched: return {kWatchedPolicyBpf, kWatchedPolicyBpf + kWatchedPolicyBpfLength};
    case SeccompPolicy::Traced: return {kTracedPolicyBpf, kTracedPolicyBpf + kTracedPolicyBpfLength};
    case SeccompPolicy::TracedWatched:
      return {kTracedWatchedPolicyBpf, kTracedWatchedPolicyBpf + kTracedWatchedPolicyBpfLength};
  }
  return {};
}

Result<int> install_seccomp_policy(SeccompPolicy policy) {
  const std::vector<sock_filter> filter = built_seccomp_policy(policy);
  sock_fprog program{static_cast<unsigned short>(filter.size()), const_cast<sock_filter*>(filter.data())};
  // NEW_LISTENER: the filter's SECCOMP_RET_USER_NOTIF calls are reported on the returned descriptor.
  long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
  if (fd < 0) return errno_error("seccomp(SECCOMP_SET_MODE_FILTER)");
  return int(fd);
}

}  // namespace shm::sandbox
