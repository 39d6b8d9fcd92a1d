// `events ID`: runc's stats and OOM event stream; `--stats` prints one stats line and exits.
// keel's addition: `--stats` takes several ids, or `--all` for every running container.
#include "cli/help.hpp"
#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "keel/manage.hpp"
#include "keel/state.hpp"

namespace keel::commands {
namespace {

// --stats for each id (or every container with --all): one line each, errors reported and
// counted; with --all, containers that are not running are skipped.
int print_stats(cli::Context& ctx) {
  std::vector<std::string> ids = ctx.args;
  bool all = ctx.flag("all");
  if (all) {
    auto listed = StateStore(ctx.global.root).ids();
    if (!listed) return cli::report_error(listed.error());
    ids = *listed;
  }
  int rc = 0;
  for (const auto& id : ids) {
    auto line = manage::stats_event(ctx.global, id);
    if (line) {
      cli::print(*line + "\n");
    } else if (!all || line.error().code != ESRCH) {
      rc = cli::report_error(line.error());
    }
  }
  return rc;
}

int run_events(cli::Context& ctx) {
  bool many = ctx.flag("stats") && (ctx.flag("all") || !ctx.args.empty());
  if (!many && ctx.args.size() != 1) {
    cli::print("Incorrect Usage.\n\n" + cli::command_help(*ctx.command, ctx.program));
    return cli::report_error(ctx.argv0 + ": \"events\" requires exactly 1 argument(s)");
  }
  if (ctx.flag("all") && !ctx.args.empty())
    return cli::report_error("events: --all takes no container id");
  auto interval = manage::parse_go_duration(ctx.string("interval", "5s"));
  if (!interval) return cli::report_error(interval.error());
  if (ctx.flag("stats")) return print_stats(ctx);
  auto r = manage::watch_events(ctx.global, ctx.args[0], *interval,
                                [](const std::string& line) { cli::print(line + "\n"); });
  if (!r) return cli::report_error(r.error());
  return 0;
}

}  // namespace

const cli::Command& events() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "events",
      .summary =
          "display container events such as OOM notifications, cpu, memory, and IO usage "
          "statistics",
      .args_usage =
          "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of the "
          "container.",
      .description =
          "The events command displays information about the container. By default the\n"
          "information is displayed once every 5 seconds.",
      .flags =
          {
              {"interval", "", FlagType::duration, "set the stats collection interval", "5s"},
              {"stats", "", FlagType::boolean, "display the container's stats then exit"},
              {"all", "a", FlagType::boolean,
               "with --stats: every running container, one line each (keel)"},
          },
      .arg_check = cli::ArgCheck::none,  // checked in run_events: --stats takes several ids
      .args = 1,
      .run = run_events,
  };
  return cmd;
}

}  // namespace keel::commands
