#include "decode.hpp"

#include "signals.hpp"

#include <fcntl.h>
#include <linux/futex.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace shm::trace {

namespace {

struct Name {
  uint64_t value;
  const char* name;
};
#define N(x) \
  Name { uint64_t(x), #x }

// clang-format off
const std::vector<Name> kProt = {N(PROT_READ), N(PROT_WRITE), N(PROT_EXEC), N(PROT_GROWSDOWN), N(PROT_GROWSUP)};
const std::vector<Name> kMap = {N(MAP_SHARED), N(MAP_PRIVATE), N(MAP_SHARED_VALIDATE), N(MAP_FIXED), N(MAP_ANONYMOUS),
                                N(MAP_GROWSDOWN), N(MAP_DENYWRITE), N(MAP_EXECUTABLE), N(MAP_LOCKED), N(MAP_NORESERVE),
                                N(MAP_POPULATE), N(MAP_NONBLOCK), N(MAP_STACK), N(MAP_HUGETLB), N(MAP_SYNC),
                                N(MAP_FIXED_NOREPLACE)};
const std::vector<Name> kMsync = {N(MS_ASYNC), N(MS_INVALIDATE), N(MS_SYNC)};
const std::vector<Name> kMremap = {N(MREMAP_MAYMOVE), N(MREMAP_FIXED), N(MREMAP_DONTUNMAP)};
const std::vector<Name> kOpen = {N(O_WRONLY), N(O_RDWR), N(O_CREAT), N(O_EXCL), N(O_NOCTTY), N(O_TRUNC), N(O_APPEND),
                                 N(O_NONBLOCK), N(O_DSYNC), N(O_DIRECT), N(O_LARGEFILE), N(O_DIRECTORY),
                                 N(O_NOFOLLOW), N(O_NOATIME), N(O_CLOEXEC), N(O_PATH),
                                 Name{uint64_t(O_TMPFILE & ~O_DIRECTORY), "O_TMPFILE"}};
const std::vector<Name> kAt = {N(AT_REMOVEDIR), N(AT_SYMLINK_NOFOLLOW), N(AT_EMPTY_PATH)};
const std::vector<Name> kIpcGet = {N(IPC_CREAT), N(IPC_EXCL), N(SHM_HUGETLB), N(SHM_NORESERVE)};
const std::vector<Name> kShmat = {N(SHM_RDONLY), N(SHM_RND), N(SHM_REMAP), N(SHM_EXEC)};
const std::vector<Name> kWait = {N(WNOHANG), N(WUNTRACED), N(WEXITED), N(WCONTINUED), N(WNOWAIT), N(__WALL),
                                 N(__WCLONE), N(__WNOTHREAD)};
// Enumerations rather than bits.
const std::vector<Name> kAdvice = {N(MADV_NORMAL), N(MADV_RANDOM), N(MADV_SEQUENTIAL), N(MADV_WILLNEED),
                                   N(MADV_DONTNEED), N(MADV_FREE), N(MADV_REMOVE), N(MADV_DONTFORK), N(MADV_DOFORK),
                                   N(MADV_MERGEABLE), N(MADV_UNMERGEABLE), N(MADV_HUGEPAGE), N(MADV_NOHUGEPAGE),
                                   N(MADV_DONTDUMP), N(MADV_DODUMP), N(MADV_HWPOISON)};
const std::vector<Name> kIpcCmd = {N(IPC_RMID), N(IPC_SET), N(IPC_STAT), N(IPC_INFO), N(SHM_LOCK), N(SHM_UNLOCK),
                                   N(SHM_STAT), N(SHM_INFO)};
const std::vector<Name> kErrno = {N(EPERM), N(ENOENT), N(ESRCH), N(EINTR), N(EIO), N(EBADF), N(ECHILD), N(EAGAIN),
                                  N(ENOMEM), N(EACCES), N(EFAULT), N(EBUSY), N(EEXIST), N(ENODEV), N(ENOTDIR),
                                  N(EISDIR), N(EINVAL), N(ENFILE), N(EMFILE), N(EFBIG), N(ENOSPC), N(ESPIPE),
                                  N(EROFS), N(ERANGE), N(ENAMETOOLONG), N(ENOSYS), N(EOVERFLOW), N(EIDRM),
                                  N(ETXTBSY), N(EDQUOT)};
const std::vector<Name> kFutexCmd = {N(FUTEX_WAIT), N(FUTEX_WAKE), N(FUTEX_FD), N(FUTEX_REQUEUE), N(FUTEX_CMP_REQUEUE),
                                     N(FUTEX_WAKE_OP), N(FUTEX_LOCK_PI), N(FUTEX_UNLOCK_PI), N(FUTEX_TRYLOCK_PI),
                                     N(FUTEX_WAIT_BITSET), N(FUTEX_WAKE_BITSET), N(FUTEX_WAIT_REQUEUE_PI),
                                     N(FUTEX_CMP_REQUEUE_PI), N(FUTEX_LOCK_PI2)};
// clang-format on
#undef N

const std::vector<Name>* bit_table(Arg kind) {
  switch (kind) {
    case Arg::Prot: return &kProt;
    case Arg::MapFlags: return &kMap;
    case Arg::MsyncFlags: return &kMsync;
    case Arg::MremapFlags: return &kMremap;
    case Arg::OpenFlags: return &kOpen;
    case Arg::AtFlags: return &kAt;
    case Arg::IpcGetFlags: return &kIpcGet;
    case Arg::ShmatFlags: return &kShmat;
    case Arg::WaitOptions: return &kWait;
    default: return nullptr;
  }
}

std::string hex(uint64_t v) {
  char buf[24];
  snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string enum_name(const std::vector<Name>& table, uint64_t v) {
  for (const auto& n : table)
    if (n.value == v) return n.name;
  return std::to_string(int64_t(v));
}

}  // namespace

std::string decode_flags(Arg kind, uint64_t value) {
  const auto* table = bit_table(kind);
  if (!table) return hex(value);
  std::string out;
  uint64_t rest = value;
  if (kind == Arg::OpenFlags && (value & O_ACCMODE) == O_RDONLY) out = "O_RDONLY";
  if (kind == Arg::MapFlags && (value & MAP_SHARED_VALIDATE) == MAP_SHARED_VALIDATE) {
    out = "MAP_SHARED_VALIDATE";  // a two-bit value that contains MAP_SHARED and MAP_PRIVATE
    rest &= ~uint64_t(MAP_SHARED_VALIDATE);
  }
  for (const auto& n : *table) {
    if (n.value == 0 || (rest & n.value) != n.value) continue;
    out += (out.empty() ? "" : "|") + std::string(n.name);
    rest &= ~n.value;
  }
  if (kind == Arg::Prot && value == 0) return "PROT_NONE";
  if (kind == Arg::IpcGetFlags && (rest & 0777)) {  // permission bits, as chmod writes them: IPC_CREAT|0666
    char mode[8];
    snprintf(mode, sizeof mode, "0%03o", unsigned(rest & 0777));
    out += (out.empty() ? "" : "|") + std::string(mode);
    rest &= ~uint64_t(0777);
  }
  if (rest) out += (out.empty() ? "" : "|") + hex(rest);
  return out.empty() ? "0" : out;
}

Value decode_arg(Arg kind, uint64_t raw, const ReadString& read_string) {
  switch (kind) {
    case Arg::Int:
    case Arg::Fd:
    case Arg::Pid:
      return int64_t(int32_t(raw));
    case Arg::Size:
    case Arg::Offset:
      return int64_t(raw);
    case Arg::AtFd:
      return int32_t(raw) == AT_FDCWD ? Value(std::string("AT_FDCWD")) : Value(int64_t(int32_t(raw)));
    case Arg::Addr:
      return hex(raw);
    case Arg::Path:
      return read_string(raw);
    case Arg::Mode: {
      char buf[16];
      snprintf(buf, sizeof buf, "0%o", unsigned(raw & 07777));
      return std::string(buf);
    }
    case Arg::IpcKey:
      return int32_t(raw) == IPC_PRIVATE ? Value(std::string("IPC_PRIVATE")) : Value(int64_t(int32_t(raw)));
    case Arg::MadviseAdvice:
      return enum_name(kAdvice, raw);
    case Arg::IpcCmd:
      return enum_name(kIpcCmd, raw);
    case Arg::FutexOp: {  // a command in the low bits, then FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME
      std::string s = enum_name(kFutexCmd, raw & FUTEX_CMD_MASK);
      if (raw & FUTEX_PRIVATE_FLAG) s += "|FUTEX_PRIVATE_FLAG";
      if (raw & FUTEX_CLOCK_REALTIME) s += "|FUTEX_CLOCK_REALTIME";
      return s;
    }
    case Arg::Signal:  // kill(pid, 0) asks whether PID exists: no signal to name
      return raw == 0 ? std::string("0") : signal_name(int(raw));
    case Arg::None:
      return int64_t(0);
    default:
      return decode_flags(kind, raw);
  }
}

std::string errno_name(int err) {
  for (const auto& n : kErrno)
    if (int(n.value) == err) return n.name;
  return "";
}

int errno_from_name(const std::string& name) {
  for (const auto& n : kErrno)
    if (name == n.name) return int(n.value);
  return -1;
}

std::string ipc_object_of(const std::string& path) {
  const std::string prefix = "/dev/shm/";
  if (path.rfind(prefix, 0) != 0 || path.size() == prefix.size()) return "";
  std::string name = path.substr(prefix.size());
  if (name.find('/') != std::string::npos) return "";
  if (name.rfind("sem.", 0) == 0 && name.size() > 4) return "sem:/" + name.substr(4);
  return "shm:/" + name;
}

}  // namespace shm::trace
