#include "syscall_table.hpp"

#include <sys/syscall.h>

#include <cstring>

namespace shm::trace {

namespace {
using A = Arg;
using F = Family;
using O = Outcome;
using E = Effect;

// clang-format off
constexpr SyscallInfo kTable[] = {
  {SYS_mmap,     "mmap",     F::Mapping, O::ExitStop, A::Addr, E::Map,     {{{"addr", A::Addr}, {"length", A::Size}, {"prot", A::Prot},
                                                                            {"flags", A::MapFlags}, {"fd", A::Fd}, {"offset", A::Offset}}}},
  {SYS_munmap,   "munmap",   F::Mapping, O::Derived,  A::Int,  E::Unmap,   {{{"addr", A::Addr}, {"length", A::Size}}}},
  {SYS_mremap,   "mremap",   F::Mapping, O::ExitStop, A::Addr, E::Remap,   {{{"old_addr", A::Addr}, {"old_length", A::Size},
                                                                            {"new_length", A::Size}, {"flags", A::MremapFlags},
                                                                            {"new_addr", A::Addr}}}},
  {SYS_mprotect, "mprotect", F::Mapping, O::Derived,  A::Int,  E::Protect, {{{"addr", A::Addr}, {"length", A::Size}, {"prot", A::Prot}}}},
  {SYS_msync,    "msync",    F::Mapping, O::Derived,  A::Int,  E::Sync,    {{{"addr", A::Addr}, {"length", A::Size},
                                                                            {"flags", A::MsyncFlags}}}},
  {SYS_madvise,  "madvise",  F::Mapping, O::Derived,  A::Int,  E::Advise,  {{{"addr", A::Addr}, {"length", A::Size},
                                                                            {"advice", A::MadviseAdvice}}}},
  {SYS_ftruncate,"ftruncate",F::File,    O::ExitStop, A::Int,  E::None,    {{{"fd", A::Fd}, {"length", A::Offset}}}},
  {SYS_open,     "open",     F::File,    O::ExitStop, A::Fd,   E::Open,    {{{"path", A::Path}, {"flags", A::OpenFlags}, {"mode", A::Mode}}}},
  {SYS_openat,   "openat",   F::File,    O::ExitStop, A::Fd,   E::Open,    {{{"dirfd", A::AtFd}, {"path", A::Path},
                                                                            {"flags", A::OpenFlags}, {"mode", A::Mode}}}},
  {SYS_creat,    "creat",    F::File,    O::ExitStop, A::Fd,   E::Open,    {{{"path", A::Path}, {"mode", A::Mode}}}},
  {SYS_close,    "close",    F::File,    O::Derived,  A::Int,  E::Close,   {{{"fd", A::Fd}}}},
  {SYS_dup,      "dup",      F::File,    O::ExitStop, A::Fd,   E::Dup,     {{{"fd", A::Fd}}}},
  {SYS_dup2,     "dup2",     F::File,    O::ExitStop, A::Fd,   E::Dup,     {{{"fd", A::Fd}, {"new_fd", A::Fd}}}},
  {SYS_dup3,     "dup3",     F::File,    O::ExitStop, A::Fd,   E::Dup,     {{{"fd", A::Fd}, {"new_fd", A::Fd}, {"flags", A::OpenFlags}}}},
  {SYS_unlink,   "unlink",   F::File,    O::ExitStop, A::Int,  E::Unlink,  {{{"path", A::Path}}}},
  {SYS_unlinkat, "unlinkat", F::File,    O::ExitStop, A::Int,  E::Unlink,  {{{"dirfd", A::AtFd}, {"path", A::Path}, {"flags", A::AtFlags}}}},
  {SYS_link,     "link",     F::File,    O::ExitStop, A::Int,  E::Name,    {{{"path", A::Path}, {"new_path", A::Path}}}},
  {SYS_linkat,   "linkat",   F::File,    O::ExitStop, A::Int,  E::Name,    {{{"dirfd", A::AtFd}, {"path", A::Path}, {"new_dirfd", A::AtFd},
                                                                            {"new_path", A::Path}, {"flags", A::AtFlags}}}},
  {SYS_rename,   "rename",   F::File,    O::ExitStop, A::Int,  E::Name,    {{{"path", A::Path}, {"new_path", A::Path}}}},
  {SYS_renameat, "renameat", F::File,    O::ExitStop, A::Int,  E::Name,    {{{"dirfd", A::AtFd}, {"path", A::Path}, {"new_dirfd", A::AtFd},
                                                                            {"new_path", A::Path}}}},
  {SYS_renameat2,"renameat2",F::File,    O::ExitStop, A::Int,  E::Name,    {{{"dirfd", A::AtFd}, {"path", A::Path}, {"new_dirfd", A::AtFd},
                                                                            {"new_path", A::Path}, {"flags", A::Int}}}},
  {SYS_shmget,   "shmget",   F::SysV,    O::ExitStop, A::Int,  E::None,    {{{"key", A::IpcKey}, {"size", A::Size}, {"flags", A::IpcGetFlags}}}},
  {SYS_shmat,    "shmat",    F::SysV,    O::ExitStop, A::Addr, E::Attach,  {{{"shmid", A::Int}, {"addr", A::Addr}, {"flags", A::ShmatFlags}}}},
  {SYS_shmdt,    "shmdt",    F::SysV,    O::ExitStop, A::Int,  E::Detach,  {{{"addr", A::Addr}}}},
  {SYS_shmctl,   "shmctl",   F::SysV,    O::ExitStop, A::Int,  E::None,    {{{"shmid", A::Int}, {"cmd", A::IpcCmd}, {"buf", A::Addr}}}},
  {SYS_wait4,    "wait4",    F::Process, O::ExitStop, A::Int,  E::Reap,    {{{"pid", A::Pid}, {"status", A::Addr}, {"options", A::WaitOptions}}}},
  {SYS_waitid,   "waitid",   F::Process, O::ExitStop, A::Int,  E::Reap,    {{{"idtype", A::Int}, {"id", A::Pid}, {"info", A::Addr},
                                                                            {"options", A::WaitOptions}}}},
  {SYS_kill,     "kill",     F::Process, O::ExitStop, A::Int,  E::None,    {{{"pid", A::Pid}, {"signal", A::Signal}}}},
  // Reading a file instead of mapping it (mapcat's "no read of the input file").
  {SYS_read,     "read",     F::Read,    O::Unlearned,A::Int,  E::None,    {{{"fd", A::Fd}, {"buf", A::Addr}, {"count", A::Size}}}},
  {SYS_pread64,  "pread64",  F::Read,    O::Unlearned,A::Int,  E::None,    {{{"fd", A::Fd}, {"buf", A::Addr}, {"count", A::Size},
                                                                            {"offset", A::Offset}}}},
  {SYS_readv,    "readv",    F::Read,    O::Unlearned,A::Int,  E::None,    {{{"fd", A::Fd}, {"iov", A::Addr}, {"iovcnt", A::Int}}}},
  {SYS_preadv,   "preadv",   F::Read,    O::Unlearned,A::Int,  E::None,    {{{"fd", A::Fd}, {"iov", A::Addr}, {"iovcnt", A::Int},
                                                                            {"offset", A::Offset}}}},
  {SYS_sendfile, "sendfile", F::Read,    O::Unlearned,A::Int,  E::None,    {{{"out_fd", A::Fd}, {"fd", A::Fd}, {"offset", A::Addr},
                                                                            {"count", A::Size}}}},
  // A futex names the lock word and whether the lock is process-private (FUTEX_PRIVATE_FLAG): a private
  // futex on a shared mapping is a mutex or semaphore initialised without pshared.
  {SYS_futex,    "futex",    F::Sync,    O::Unlearned,A::Int,  E::None,    {{{"uaddr", A::Addr}, {"op", A::FutexOp}, {"val", A::Int}}}},
};
// clang-format on
}  // namespace

const SyscallInfo* syscall_table_begin() { return std::begin(kTable); }
const SyscallInfo* syscall_table_end() { return std::end(kTable); }

const SyscallInfo* find_syscall(int nr) {
  for (const auto& row : kTable)
    if (row.nr == nr) return &row;
  return nullptr;
}

const SyscallInfo* find_syscall(const std::string& name) {
  for (const auto& row : kTable)
    if (name == row.name) return &row;
  return nullptr;
}

}  // namespace shm::trace
