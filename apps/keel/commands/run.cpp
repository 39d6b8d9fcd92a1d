// `run`: create + start; in the foreground its exit code is the container's.
#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "commands/lifecycle_flags.hpp"

namespace keel::commands {
namespace {

int run_run(cli::Context& ctx) {
  RunOptions opts;
  if (auto ok = fill_create_options(ctx, opts); !ok) return cli::report_error(ok.error());
  opts.detach = ctx.flag("detach");
  opts.keep = ctx.flag("keep");
  opts.no_subreaper = ctx.flag("no-subreaper");
  if (opts.detach && opts.keep) return cli::report_error("--detach and --keep cannot both be set");
  auto code = run_container(ctx.global, opts);
  if (!code) return cli::report_error(code.error());
  return *code;
}

}  // namespace

const cli::Command& run() {
  static const cli::Command cmd{
      .name = "run",
      .summary = "create and run a container",
      .args_usage = kNewContainerArgsUsage,
      .description = new_container_description("run"),
      .flags = create_flags(true),
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = run_run,
  };
  return cmd;
}

}  // namespace keel::commands
