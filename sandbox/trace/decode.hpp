// Decoders: a raw argument of a given kind becomes a number or a readable string ("PROT_READ|PROT_WRITE",
// "/dev/shm/ring", "0x7f3a12340000"). Flag names live in tables, one per flag family.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>

#include "syscall_table.hpp"

namespace shm::trace {

using Value = std::variant<int64_t, std::string>;

// Reads a NUL-terminated string at an address of the traced process (for Path arguments).
using ReadString = std::function<std::string(uint64_t addr)>;

Value decode_arg(Arg kind, uint64_t raw, const ReadString& read_string);

// "A|B|0x40" for the bits of VALUE named in the family's table; "0" when none is set.
std::string decode_flags(Arg kind, uint64_t value);

// "ENOMEM" for 12, and back; "" / -1 when unknown.
std::string errno_name(int err);
int errno_from_name(const std::string& name);

// glibc's names for POSIX objects in /dev/shm: shm_open("/ring") opens /dev/shm/ring, sem_open("/s") opens
// /dev/shm/sem.s. Returns "shm:/ring" / "sem:/s" (an Event's object), or "" for any other path.
std::string ipc_object_of(const std::string& path);

}  // namespace shm::trace
