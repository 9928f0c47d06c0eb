// The traced system calls: one table that the tracer, the decoders and (later) the analyzers all read,
// like strace's syscallent. A row says how to decode each argument, how the result is learned, and whether
// the call is stopped on at all (process events come from ptrace options, not from seccomp stops).
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

struct ArgSpec {
  const char* name;
  Arg kind;
};

struct SyscallInfo {
  int nr;
  const char* name;
  Family family;
  Outcome outcome;
  Arg result;  // how a successful result is shown: Int, Fd, Addr
  std::array<ArgSpec, 6> args;
};

// The row for NR, or null when the call is not traced.
const SyscallInfo* find_syscall(int nr);
const SyscallInfo* find_syscall(const std::string& name);
// Every row, for the seccomp policy (which calls stop) and the tests.
const SyscallInfo* syscall_table_begin();
const SyscallInfo* syscall_table_end();

}  // namespace shm::trace
