// `state ID`: runc's state JSON, status derived from the kernel. Loads no plugin.
#include "keel/state.hpp"

#include "cli/report.hpp"
#include "commands/commands.hpp"

namespace keel::commands {
namespace {

int run_state(cli::Context& ctx) {
  StateStore store(ctx.global.root);
  auto st = store.read(ctx.args[0]);
  if (!st) return cli::report_error(st.error());
  Status status = observed_status(*st, store.dir_of(st->id));
  st->owner.clear();                          // runc never fills owner for `state`
  cli::print(state_json(*st, status, true));  // like runc: no trailing newline
  return 0;
}

}  // namespace

const cli::Command& state() {
  static const cli::Command cmd{
      .name = "state",
      .summary = "output the state of a container",
      .args_usage =
          "<container-id>\n\n"
          "Where \"<container-id>\" is your name for the instance of the container.",
      .description =
          "The state command outputs current state information for the\n"
          "instance of a container.",
      .flags = {},
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = run_state,
  };
  return cmd;
}

}  // namespace keel::commands
