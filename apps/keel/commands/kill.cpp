// `kill ID [SIGNAL]`: SIGTERM by default; names with or without SIG, numbers, SIGRTMIN+N.
#include <signal.h>

#include "cli/report.hpp"
#include "cli/signals.hpp"
#include "commands/commands.hpp"

namespace keel::commands {
namespace {

int run_kill(cli::Context& ctx) {
  int sig = SIGTERM;
  if (ctx.args.size() > 1) {
    auto parsed = cli::parse_signal(ctx.args[1]);
    if (!parsed) return cli::report_error(parsed.error());
    sig = *parsed;
  }
  if (auto ok = kill_container(ctx.global, ctx.args[0], sig, ctx.flag("all")); !ok)
    return cli::report_error(ok.error());
  return 0;
}

}  // namespace

const cli::Command& kill() {
  static const cli::Command cmd{
      .name = "kill",
      .summary =
          "kill sends the specified signal (default: SIGTERM) to the container's init process",
      .args_usage =
          "<container-id> [signal]\n\n"
          "Where \"<container-id>\" is the name for the instance of the container and\n"
          "\"[signal]\" is the signal to be sent to the init process.\n\n"
          "EXAMPLE:\n"
          "For example, if the container id is \"ubuntu01\" the following will send a \"KILL\"\n"
          "signal to the init process of the \"ubuntu01\" container:\n\n"
          "       # keel kill ubuntu01 KILL",
      .description = "",
      .flags = {{"all", "a", cli::FlagType::boolean,
                 "send the specified signal to all processes inside the container"}},
      .arg_check = cli::ArgCheck::minimum,
      .args = 1,
      .max_args = 2,
      .run = run_kill,
  };
  return cmd;
}

}  // namespace keel::commands
