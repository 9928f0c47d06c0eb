// Wrappers recognised by shape: a student's (or a book's) function whose body is only one call and its error
// check, such as
//
//     void *Mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off) {
//       void *p;
//       if ((p = mmap(addr, len, prot, flags, fd, off)) == MAP_FAILED) err_sys("mmap");
//       return p;
//     }
//
// A call made on that one call's lines is placed at the wrapper's caller, as a call in a provided file is
// (unwind.cpp), so events and findings point at the line that meant it.
//
// The rule, read from the source text: apart from calls that report an error or end the program (perror,
// fprintf, exit, abort, err/errx/warn, names beginning with err, die, fatal or panic, ...), the body makes
// exactly one call; and every statement is that call (assigned, returned or tested by an if), a declaration
// without an initialiser, `return` of something without a call, or an `if` whose branches only report an error
// and return or end the program. No loop, switch or goto; main is never a wrapper.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace shm::trace {

struct WrapperCall {
  std::string function;       // the wrapper
  int first_line, last_line;  // the lines its one call spans
};

// The wrappers defined in C_SOURCE (a C file's text).
std::vector<WrapperCall> find_wrappers(std::string_view c_source);

// "file:line" for each line of a wrapper's call in the sources BINARY was built from (its DWARF names them),
// file named relative to SOURCE_ROOT (where they were compiled) and read from the same relative path under
// HOST_ROOT (where they are now). Sources outside SOURCE_ROOT (system headers) and unreadable ones are skipped.
std::vector<std::string> wrapper_call_lines(const std::string& binary, const std::string& source_root,
                                            const std::string& host_root);

}  // namespace shm::trace
