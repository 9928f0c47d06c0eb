// The traced system calls: one table that the tracer, the decoders, fault injection, the process state and the
// analyzers all read, like strace's syscallent. A row says how to decode each argument and the result, how the
// result is learned, and what the call does to a process (process events — fork, exec, exit — come from
// ptrace options, not from seccomp stops, and are not rows).
//
// Adding a traced call:
//   1. a row in syscall_table.cpp: its arguments' kinds (a new flag set is a table in decode.cpp), Outcome,
//      the result's kind, its Effect (an Effect of its own is a case in ProcessState::apply);
//   2. seccomp_policy.cpp's allowlist names it (a test checks every row is allowed);
//   3. tests/trace/fixtures/every_traced_call.c makes it (a test checks every row is seen there, decoded);
//   4. what the analyzers make of it, in grader/findings/ by its Family or Effect, never by its name alone.
// It is then stopped on, printed, injectable by its name (--inject NAME:N:ERRNO) and replayed.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace shm::trace {

// How an argument is shown.
enum class Arg : uint8_t {
  None, Int, Fd, AtFd, Addr, Size, Offset, Path, Mode,
  Prot, MapFlags, MsyncFlags, MadviseAdvice, MremapFlags, OpenFlags, AtFlags, IpcKey, IpcGetFlags, ShmatFlags,
  IpcCmd, Pid, Signal, WaitOptions, FutexOp,
};

// How the result is learned.
enum class Outcome : uint8_t {
  ExitStop,  // a second stop at syscall exit (mmap's address, open's fd)
  Derived,   // from the tracer's own tables, one stop only (munmap, close): see tracer.cpp
  NoReturn,  // exit, exit_group
  Unlearned, // one stop, result not learned: only that the call was made counts (read of a file, futex)
};

// What the call is about, for the analyzers and fault injection.
enum class Family : uint8_t { Mapping, File, SysV, Process, Read, Sync };

// What a successful call does to the process (ProcessState::apply), how a Derived result is decided, and the
// injection kinds beyond the call's own name (see injection_kinds).
enum class Effect : uint8_t {
  None,
  Map,      // mmap: a mapping at the result (kinds mmap:shared, mmap:private, mmap:anonymous by its flags)
  Attach,   // shmat: the System V segment mapped at the result
  Remap,    // mremap: the old range moves or resizes to the result
  Unmap,    // munmap: an unaligned address or a length of 0 is EINVAL
  Detach,   // shmdt
  Protect,  // mprotect: the whole range must be mapped (else ENOMEM)
  Sync,     // msync: the same, and MS_SYNC with MS_ASYNC is EINVAL
  Advise,   // madvise
  Open,     // open, openat, creat: a descriptor for the path (kinds shm_open, sem_open under /dev/shm)
  Dup,      // dup, dup2, dup3: a descriptor for the same file, never close-on-exec but by dup3's flags (kind dup)
  Close,    // a negative descriptor is EBADF
  Unlink,   // unlink, unlinkat (kinds shm_unlink, sem_unlink under /dev/shm)
  Name,     // link, linkat, rename, renameat, renameat2: another name for a path; under /dev/shm the object's
            //   final one (sem_open makes a semaphore under a temporary name and links it to sem.NAME)
  Reap,     // wait4, waitid: a child waited for
};

struct ArgSpec {
  const char* name;
  Arg kind;
};

struct SyscallInfo {
  int nr;
  const char* name;
  Family family;
  Outcome outcome;
  Arg result;  // how a successful result is shown: Int, Fd, Addr (in hex)
  Effect effect;
  std::array<ArgSpec, 6> args;
};

// The row for NR, or null when the call is not traced.
const SyscallInfo* find_syscall(int nr);
const SyscallInfo* find_syscall(const std::string& name);
// Every row, for the seccomp policy (which calls stop) and the tests.
const SyscallInfo* syscall_table_begin();
const SyscallInfo* syscall_table_end();

}  // namespace shm::trace
