// `events`: flags parsed; stats and OOM events come in a later issue.
#include "commands/commands.hpp"

namespace keel::commands {

const cli::Command& events() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "events",
      .summary =
          "display container events such as OOM notifications, cpu, memory, and IO usage "
          "statistics",
      .args_usage =
          "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the "
          "container.",
      .description =
          "The events command displays information about the container. By default the\n"
          "information is displayed once every 5 seconds.",
      .flags =
          {
              {"interval", "", FlagType::duration, "set the stats collection interval", "5s"},
              {"stats", "", FlagType::boolean, "display the container's stats then exit"},
          },
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = not_implemented,
  };
  return cmd;
}

}  // namespace keel::commands
