// The command table the dispatcher walks.
#include <array>
#include <string>

#include "cli/report.hpp"
#include "commands/commands.hpp"

namespace keel::commands {

std::span<const cli::Command* const> all() {
  static const std::array<const cli::Command*, 18> table = {
      &checkpoint(), &create(), &delete_(), &events(),  &exec(),     &kill(),
      &list(),       &pause(),  &ps(),      &restore(), &resume(),   &run(),
      &spec(),       &start(),  &state(),   &update(),  &features(), &plugins(),
  };
  return table;
}

int not_implemented(cli::Context& ctx) {
  return cli::report_error(ctx.program + ": " + ctx.command->name + ": not implemented yet");
}

}  // namespace keel::commands
