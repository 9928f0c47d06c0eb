// Capabilities: none at all, in any set, before the program starts (as nsjail's caps.cc does): the program is
// "root" only in name, and only inside its user namespace. no_new_privs keeps exec from giving any back.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.hpp"

namespace shm::sandbox {

Status drop_capabilities() {
  for (int cap = 0; cap <= CAP_LAST_CAP; cap++) prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);  // EINVAL past the kernel's last
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[2] = {};
  if (syscall(SYS_capset, &header, data) < 0) return errno_error("capset");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) return errno_error("no_new_privs");
  return ok();
}

}  // namespace shm::sandbox
