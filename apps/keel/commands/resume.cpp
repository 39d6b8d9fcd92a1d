// `resume`: parsed; freezing through the cgroup manager comes in a later issue.
#include "commands/commands.hpp"

namespace keel::commands {

const cli::Command& resume() {
  static const cli::Command cmd{
      .name = "resume",
      .summary = "resumes all processes that have been previously paused",
      .args_usage =
          "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of "
          "the container to be\nresumed.",
      .description =
          "The resume command resumes all processes in the instance of the container.\n\nUse keel "
          "list to identify instances of containers and their current status.",
      .flags = {},
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = not_implemented,
  };
  return cmd;
}

}  // namespace keel::commands
