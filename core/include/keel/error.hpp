// Errors that carry an errno and a human-readable context chain.
// Every fallible core call returns keel::Result<T>; callers add context as the error travels up.
#pragma once

#include <cerrno>
#include <cstring>
#include <expected>
#include <string>
#include <utility>

namespace keel {

struct Error {
  int code = 0;         // errno value, 0 when the failure is not a system call's
  std::string message;  // "creating cgroup /x: writing memory.max: Invalid argument"

  // Prefixes the message with what the caller was doing: "what: <old message>".
  Error context(std::string_view what) const& {
    return Error{code, std::string(what) + ": " + message};
  }
  Error context(std::string_view what) && {
    message = std::string(what) + ": " + message;
    return std::move(*this);
  }
};

template <class T = void>
using Result = std::expected<T, Error>;

// An error from a failed system call: "what: strerror(err)".
inline std::unexpected<Error> sys_error(std::string_view what, int err = errno) {
  return std::unexpected(Error{err, std::string(what) + ": " + std::strerror(err)});
}

// An error that is not a system call's (bad input, validation).
inline std::unexpected<Error> fail(std::string message, int err = EINVAL) {
  return std::unexpected(Error{err, std::move(message)});
}

}  // namespace keel
