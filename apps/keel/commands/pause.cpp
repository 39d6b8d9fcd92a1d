// `pause ID`: freezes the container's cgroup through its recorded cgroup manager.
#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "keel/manage.hpp"

namespace keel::commands {
namespace {

int run_pause(cli::Context& ctx) {
  if (auto r = manage::pause_container(ctx.global, ctx.args[0]); !r)
    return cli::report_error(r.error());
  return 0;
}

}  // namespace

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
      .run = run_pause,
  };
  return cmd;
}

}  // namespace keel::commands
