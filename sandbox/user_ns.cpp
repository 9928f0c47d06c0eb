// User namespace: the sandbox's root (uid 0 inside) is an unprivileged user outside. As root we map it to
// nobody, so even a full escape from the other namespaces lands without privileges.
#include <fcntl.h>
#include <unistd.h>

#include <string>

#include "files.hpp"
#include "internal.hpp"

namespace shm::sandbox {

namespace {
constexpr uid_t kNobody = 65534;
}  // namespace

IdMap choose_id_map() {
  if (geteuid() == 0) return {kNobody, kNobody};
  return {geteuid(), getegid()};
}

Status write_id_maps(pid_t child, const IdMap& map) {
  const std::string proc = "/proc/" + std::to_string(child);
  // setgroups must be denied before an unprivileged process may write gid_map.
  if (auto s = write_kernel_file(proc + "/setgroups", "deny"); !s) return s;
  if (auto s = write_kernel_file(proc + "/uid_map", "0 " + std::to_string(map.outside_uid) + " 1\n"); !s) return s;
  return write_kernel_file(proc + "/gid_map", "0 " + std::to_string(map.outside_gid) + " 1\n");
}

}  // namespace shm::sandbox
