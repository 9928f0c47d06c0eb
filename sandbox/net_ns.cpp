// Network namespace: a new one has only a loopback interface, down. Bring it up; there is no route out.
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

#include "internal.hpp"

namespace shm::sandbox {

Status bring_up_loopback() {
  int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (sock < 0) return errno_error("socket for loopback");
  ifreq ifr{};
  std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  Status status = ok();
  if (ioctl(sock, SIOCGIFFLAGS, &ifr) < 0) {
    status = errno_error("SIOCGIFFLAGS lo");
  } else {
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(sock, SIOCSIFFLAGS, &ifr) < 0) status = errno_error("SIOCSIFFLAGS lo");
  }
  close(sock);
  return status;
}

}  // namespace shm::sandbox
