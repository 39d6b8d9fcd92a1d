// `pause`: parsed; freezing through the cgroup manager comes in a later issue.
#include "commands/commands.hpp"

namespace keel::commands {

const cli::Command& pause() {
  static const cli::Command cmd{
      .name = "pause",
      .summary = "pause suspends all processes inside the container",
      .args_usage =
          "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of "
          "the container to be\npaused. ",
      .description =
          "The pause command suspends all processes in the instance of the container.\n\nUse keel "
          "list to identify instances of containers and their current status.",
      .flags = {},
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = not_implemented,
  };
  return cmd;
}

}  // namespace keel::commands
