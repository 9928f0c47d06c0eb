// Result<T>: a value or an Error that says what failed (the operation, the object, errno).
#pragma once

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace shm {

struct Error {
  std::string what;  // "mount /proc", "copy-in: submission/a.c is a symlink"
  int err = 0;       // errno, 0 when not a system call failure
  std::string message() const { return err ? what + ": " + std::strerror(err) : what; }
};

inline Error errno_error(std::string what) { return {std::move(what), errno}; }

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  const T& value() const { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  T& operator*() { return value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

struct Ok {};
using Status = Result<Ok>;
inline Status ok() { return Ok{}; }

}  // namespace shm
