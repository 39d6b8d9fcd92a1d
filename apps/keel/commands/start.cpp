// `start`: let a created container's init exec the user process.
#include "cli/report.hpp"
#include "commands/commands.hpp"

namespace keel::commands {
namespace {

int run_start(cli::Context& ctx) {
  if (auto ok = start_container(ctx.global, ctx.args[0]); !ok) return cli::report_error(ok.error());
  return 0;
}

}  // namespace

const cli::Command& start() {
  static const cli::Command cmd{
      .name = "start",
      .summary = "executes the user defined process in a created container",
      .args_usage =
          "<container-id>\n\n"
          "Where \"<container-id>\" is your name for the instance of the container that you\n"
          "are starting. The name you provide for the container instance must be unique on\n"
          "your host.",
      .description = "The start command executes the user defined process in a created container.",
      .flags = {},
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = run_start,
  };
  return cmd;
}

}  // namespace keel::commands
