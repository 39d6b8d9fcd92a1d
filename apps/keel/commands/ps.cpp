// `ps`: flags parsed (arguments after the id go to ps(1)); listing pids comes in a later issue.
#include "commands/commands.hpp"

namespace keel::commands {

const cli::Command& ps() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "ps",
      .summary = "ps displays the processes running inside a container",
      .args_usage = "<container-id> [ps options]",
      .description = "",
      .flags = {{"format", "f", FlagType::string, "select one of: table or json", "\"table\""}},
      .arg_check = cli::ArgCheck::minimum,
      .args = 1,
      .skip_reorder = true,
      .run = not_implemented,
  };
  return cmd;
}

}  // namespace keel::commands
