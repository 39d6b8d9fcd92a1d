// Flags and text shared by `create` and `run`, and turning them into CreateOptions.
#pragma once

#include <string>
#include <vector>

#include "cli/command.hpp"
#include "keel/error.hpp"
#include "keel/lifecycle.hpp"

namespace keel::commands {

inline const std::string kNewContainerArgsUsage =
    "<container-id>\n\n"
    "Where \"<container-id>\" is your name for the instance of the container that you\n"
    "are starting. The name you provide for the container instance must be unique on\n"
    "your host.";

std::string new_container_description(const std::string& verb);
std::vector<cli::Flag> create_flags(bool for_run);
// Validates the id and makes the bundle absolute (default: the current directory).
Result<void> fill_create_options(const cli::Context& ctx, CreateOptions& out);

}  // namespace keel::commands
