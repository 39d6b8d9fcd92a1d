// `ps ID [ps args]`: the container's processes from its cgroup. table: ps(1) rows filtered to
// the container's pids; json: runc's array of host pids; json-full (keel): details from /proc.
#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "keel/manage.hpp"

namespace keel::commands {
namespace {

int run_ps(cli::Context& ctx) {
  auto pids = manage::container_pids(ctx.global, ctx.args[0]);
  if (!pids) return cli::report_error(pids.error());
  std::string format = ctx.string("format", "table");
  if (format == "json") {
    cli::print(manage::pids_json(*pids));
    return 0;
  }
  if (format == "json-full") {
    cli::print(manage::processes_json(*pids));
    return 0;
  }
  if (format != "table") return cli::report_error("invalid format option");
  auto output = manage::run_ps({ctx.args.begin() + 1, ctx.args.end()});
  if (!output) return cli::report_error(output.error());
  auto table = manage::filter_ps_table(*output, *pids);
  if (!table) return cli::report_error(table.error());
  cli::print(*table);
  return 0;
}

}  // namespace

const cli::Command& ps() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "ps",
      .summary = "ps displays the processes running inside a container",
      .args_usage = "<container-id> [ps options]",
      .description = "",
      .flags = {{"format", "f", FlagType::string, "select one of: table, json or json-full (keel)",
                 "\"table\""}},
      .arg_check = cli::ArgCheck::minimum,
      .args = 1,
      .skip_reorder = true,
      .run = run_ps,
  };
  return cmd;
}

}  // namespace keel::commands
