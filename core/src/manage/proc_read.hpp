// Internal: what ps and events read from /proc.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "keel/error.hpp"

namespace keel::manage::detail {

struct ProcessInfo {
  pid_t ppid = 0;
  uid_t uid = 0;  // real uid
  char state = '?';
  std::string command;  // cmdline joined by spaces, or "[comm]" for kernel-less argv
};
std::optional<ProcessInfo> read_process(pid_t pid);

// A whole (small) file; errors name the path.
Result<std::string> read_text(const std::string& path);

// A JSON string literal with RapidJSON's escaping.
std::string json_string(const std::string& s);

}  // namespace keel::manage::detail
