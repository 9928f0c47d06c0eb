// fd passing over a unix socket (SCM_RIGHTS): the cgroup's join files go to init, the seccomp notification fd
// comes back to the supervisor.
#include <sys/socket.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>

#include "internal.hpp"

namespace shm::sandbox {

namespace {
constexpr size_t kMaxPassedFds = 4;

// One byte of payload carrying up to kMaxPassedFds descriptors (SCM_RIGHTS) in its control message.
struct FdMessage {
  char byte = 0;
  iovec iov{&byte, 1};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxPassedFds)] = {};
  msghdr msg{};
  FdMessage() {
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
  }
  FdMessage(const FdMessage&) = delete;  // msg points into this object
  FdMessage& operator=(const FdMessage&) = delete;
};
}  // namespace

Status send_fds(int sock, const std::vector<int>& fds) {
  if (fds.size() > kMaxPassedFds) return Error{"send_fds: too many descriptors"};
  FdMessage m;
  if (fds.empty()) {
    m.msg.msg_control = nullptr;
    m.msg.msg_controllen = 0;
  } else {
    m.msg.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
    cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
    std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
  }
  if (sendmsg(sock, &m.msg, MSG_NOSIGNAL) < 0) return errno_error("sendmsg fds");
  return ok();
}

Result<std::vector<int>> receive_fds(int sock) {
  FdMessage m;
  ssize_t n;
  while ((n = recvmsg(sock, &m.msg, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {
  }
  if (n <= 0) return n == 0 ? Error{"recvmsg fds: peer closed"} : errno_error("recvmsg fds");
  std::vector<int> fds;
  cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
  if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
    fds.resize((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
    std::memcpy(fds.data(), CMSG_DATA(c), sizeof(int) * fds.size());
  }
  return fds;
}

}  // namespace shm::sandbox
