// keel's entry point: global flags, then one subcommand, with runc's usage errors and exit codes.
#include <string>
#include <vector>

#include "cli/argv.hpp"
#include "cli/help.hpp"
#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "keel/log.hpp"

namespace {

using keel::cli::Context;

const keel::cli::Command* find_command(std::string_view name) {
  for (auto* c : keel::commands::all())
    if (c->name == name) return c;
  return nullptr;
}

void configure_log(const Context& ctx) {
  keel::log::configure(ctx.log_path,
                       ctx.log_format == "json" ? keel::log::Format::json : keel::log::Format::text,
                       ctx.global.debug);
}

// `keel help [command]`, as urfave/cli's help command.
int help_command(const Context& ctx, std::span<const std::string> rest) {
  if (rest.empty()) {
    keel::cli::print(keel::cli::app_help(keel::commands::all(), ctx.program));
    return 0;
  }
  if (auto* c = find_command(rest[0])) {
    keel::cli::print(keel::cli::command_help(*c, ctx.program));
    return 0;
  }
  keel::cli::report_error("No help topic for '" + rest[0] + "'");
  return 3;
}

int run_command(Context& ctx, const keel::cli::Command& cmd, std::span<const std::string> rest) {
  ctx.command = &cmd;
  auto parsed = keel::cli::parse_command(cmd, rest, ctx);
  if (parsed.help) {
    keel::cli::print(keel::cli::command_help(cmd, ctx.program));
    return 0;
  }
  if (!parsed.message.empty()) {
    keel::cli::print("Incorrect Usage: " + parsed.message + "\n\n" +
                     keel::cli::command_help(cmd, ctx.program));
    return keel::cli::report_error(parsed.message);
  }
  if (auto wrong = keel::cli::check_args(cmd, ctx, ctx.argv0); !wrong.empty()) {
    keel::cli::print("Incorrect Usage.\n\n" + keel::cli::command_help(cmd, ctx.program));
    return keel::cli::report_error(wrong);
  }
  return cmd.run(ctx);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  Context ctx;
  ctx.argv0 = argc > 0 ? argv[0] : "keel";
  ctx.program = keel::cli::program_name(ctx.argv0);

  auto global = keel::cli::parse_global(args, ctx);
  configure_log(ctx);
  if (!global.error.empty()) {
    if (!global.usage) return keel::cli::report_error(global.error);
    keel::cli::print("Incorrect Usage. " + global.error + "\n\n" +
                     keel::cli::app_help(keel::commands::all(), ctx.program));
    return keel::cli::report_error(global.error);
  }
  for (const auto& w : global.warnings) keel::log::warning(w);
  if (global.version) {
    keel::cli::print(keel::cli::version_text(ctx.program));
    return 0;
  }
  std::span<const std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(global.next),
                                    args.end());
  if (global.help || rest.empty()) return help_command(ctx, {});
  if (rest[0] == "help" || rest[0] == "h") return help_command(ctx, rest.subspan(1));
  const keel::cli::Command* cmd = find_command(rest[0]);
  if (cmd == nullptr) {
    keel::cli::report_error("No help topic for '" + rest[0] + "'");
    return 3;
  }
  return run_command(ctx, *cmd, rest.subspan(1));
}
