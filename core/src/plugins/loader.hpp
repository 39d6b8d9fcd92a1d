// The process-wide plugin loader: checks a file, dlopens exactly the inode it checked, validates
// the descriptor and keeps every library loaded for the life of the process.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "keel/error.hpp"
#include "keel/plugin_abi.h"

namespace keel::plugin_loader {

// What one load attempt learned. `descriptor` is set whenever the file answered the handshake,
// even when it was refused afterwards (duplicate name, failed init), so reports can name it.
struct Attempt {
  const keel_plugin_descriptor* descriptor = nullptr;
  std::optional<Error> error;
};

// Options for a plugin, looked up by the name its descriptor declares.
using OptionsFor = std::function<std::string(std::string_view name)>;

// "cgroup manager", "syscall filter", "labeler", "checkpointer": for messages.
std::string_view kind_label(uint32_t kind);

// Loads `path` (absolute) once per process; later calls for the same inode return the first
// outcome without calling init again.
Attempt load(const std::string& path, const OptionsFor& options_for);

}  // namespace keel::plugin_loader
