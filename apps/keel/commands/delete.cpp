// `delete [--force] ID`: remove a stopped container (--force kills a live one first).
#include "cli/report.hpp"
#include "commands/commands.hpp"

namespace keel::commands {
namespace {

int run_delete(cli::Context& ctx) {
  if (auto ok = delete_container(ctx.global, ctx.args[0], ctx.flag("force")); !ok)
    return cli::report_error(ok.error());
  return 0;
}

}  // namespace

const cli::Command& delete_() {
  static const cli::Command cmd{
      .name = "delete",
      .summary = "delete any resources held by the container often used with detached container",
      .args_usage =
          "<container-id>\n\n"
          "Where \"<container-id>\" is the name for the instance of the container.\n\n"
          "EXAMPLE:\n"
          "For example, if the container id is \"ubuntu01\" and keel list currently shows the\n"
          "status of \"ubuntu01\" as \"stopped\" the following will delete resources held for\n"
          "\"ubuntu01\" removing \"ubuntu01\" from the keel list of containers:\n\n"
          "       # keel delete ubuntu01",
      .description = "",
      .flags = {{"force", "f", cli::FlagType::boolean,
                 "Forcibly deletes the container if it is still running (uses SIGKILL)"}},
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = run_delete,
  };
  return cmd;
}

}  // namespace keel::commands
