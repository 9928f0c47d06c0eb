// Loading the seccomp policy in the program's process: the BPF was compiled by libseccomp when shmgrade was
// built (tools/seccomp_bpf_gen writes seccomp_bpf.gen.cpp), so this is one system call.
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.hpp"

namespace shm::sandbox {

extern const sock_filter kPolicyBpf[], kTracedPolicyBpf[];
extern const size_t kPolicyBpfLength, kTracedPolicyBpfLength;

std::vector<sock_filter> built_seccomp_policy(bool traced) {
  if (traced) return {kTracedPolicyBpf, kTracedPolicyBpf + kTracedPolicyBpfLength};
  return {kPolicyBpf, kPolicyBpf + kPolicyBpfLength};
}

Result<int> install_seccomp_policy(bool traced) {
  sock_fprog program{static_cast<unsigned short>(traced ? kTracedPolicyBpfLength : kPolicyBpfLength),
                     const_cast<sock_filter*>(traced ? kTracedPolicyBpf : kPolicyBpf)};
  // NEW_LISTENER: the filter's SECCOMP_RET_USER_NOTIF calls are reported on the returned descriptor.
  long fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &program);
  if (fd < 0) return errno_error("seccomp(SECCOMP_SET_MODE_FILTER)");
  return int(fd);
}

}  // namespace shm::sandbox
