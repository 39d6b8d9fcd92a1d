// Small files the runtime writes for its callers: the --pid-file (atomically, like runc).
#pragma once

#include <sys/types.h>

#include <string>

#include "keel/error.hpp"

namespace keel::runtime {

// Writes the pid to <path> through a temp file in the same dir + rename, so a reader (the shim,
// conmon) never sees a partial file.
Result<void> write_pid_file(const std::string& path, pid_t pid);

// `path` made absolute against the current directory (no symlink resolution).
std::string absolute_path(const std::string& path);

}  // namespace keel::runtime
