// `create`: set up the container and leave its init waiting on exec.fifo.
#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "commands/lifecycle_flags.hpp"

namespace keel::commands {
namespace {

int run_create(cli::Context& ctx) {
  CreateOptions opts;
  if (auto ok = fill_create_options(ctx, opts); !ok) return cli::report_error(ok.error());
  if (auto ok = create_container(ctx.global, opts); !ok) return cli::report_error(ok.error());
  return 0;
}

}  // namespace

const cli::Command& create() {
  static const cli::Command cmd{
      .name = "create",
      .summary = "create a container",
      .args_usage = kNewContainerArgsUsage,
      .description = new_container_description("create"),
      .flags = create_flags(false),
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = run_create,
  };
  return cmd;
}

}  // namespace keel::commands
