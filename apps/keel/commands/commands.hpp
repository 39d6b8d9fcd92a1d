// One function per subcommand, each defined in its own commands/<name>.cpp. A command that is
// a stub today is replaced by rewriting only its file.
#pragma once

#include <span>

#include "cli/command.hpp"

namespace keel::commands {

const cli::Command& checkpoint();
const cli::Command& create();
const cli::Command& delete_();
const cli::Command& events();
const cli::Command& exec();
const cli::Command& features();
const cli::Command& kill();
const cli::Command& list();
const cli::Command& pause();
const cli::Command& plugins();
const cli::Command& ps();
const cli::Command& restore();
const cli::Command& resume();
const cli::Command& run();
const cli::Command& spec();
const cli::Command& start();
const cli::Command& state();
const cli::Command& update();

// In runc's order (its help lists commands in this order), plus keel's `plugins`.
std::span<const cli::Command* const> all();

// For commands a later issue implements: parsed fine, then "<program>: <cmd>: not implemented yet".
int not_implemented(cli::Context& ctx);

}  // namespace keel::commands
