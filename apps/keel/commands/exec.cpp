// `exec ID CMD...` or `exec --process FILE ID`: a new process in a running container. Like
// runc, every failure to start it exits 255; otherwise the exit code is the process's.
#include "keel/exec.hpp"

#include "cli/report.hpp"
#include "commands/commands.hpp"

namespace keel::commands {
namespace {

int run_exec(cli::Context& ctx) {
  ExecOptions o;
  o.id = ctx.args[0];
  o.args.assign(ctx.args.begin() + 1, ctx.args.end());
  o.process_file = ctx.string("process");
  if (o.process_file.empty() && o.args.empty()) {
    cli::report_error("exec args cannot be empty");
    return 255;
  }
  o.env = ctx.strings("env");
  o.cwd = ctx.string("cwd");
  o.user = ctx.string("user");
  o.additional_gids = ctx.strings("additional-gids");
  o.caps = ctx.strings("cap");
  o.no_new_privs = ctx.flag("no-new-privs");
  o.tty = ctx.flag("tty");
  o.console_socket = ctx.string("console-socket");
  o.pidfd_socket = ctx.string("pidfd-socket");
  o.pid_file = ctx.string("pid-file");
  o.process_label = ctx.string("process-label");
  o.apparmor = ctx.string("apparmor");
  o.cgroup = ctx.string("cgroup");
  o.preserve_fds = static_cast<int>(ctx.integer("preserve-fds"));
  o.detach = ctx.flag("detach");
  o.ignore_paused = ctx.flag("ignore-paused");
  o.no_subreaper = ctx.flag("no-subreaper");
  auto code = exec_container(ctx.global, o);
  if (!code) {
    cli::report_error(code.error());
    return 255;
  }
  return *code;
}

}  // namespace

const cli::Command& exec() {
  using cli::FlagType;
  static const std::string socket_usage =
      "path to an AF_UNIX socket which will receive a file descriptor referencing the master end "
      "of the console's pseudoterminal";
  static const cli::Command cmd{
      .name = "exec",
      .summary = "execute new process inside the container",
      .args_usage =
          "<container-id> <command> [command options]  || -p process.json <container-id>\n\n"
          "Where \"<container-id>\" is the name for the instance of the container and\n"
          "\"<command>\" is the command to be executed in the container.\n"
          "\"<command>\" can't be empty unless a \"-p\" flag provided.\n\n"
          "EXAMPLE:\n"
          "For example, if the container is configured to run the linux ps command the\n"
          "following will output a list of processes running in the container:\n\n"
          "       # keel exec <container-id> ps",
      .description = "",
      .flags =
          {
              {"console-socket", "", FlagType::string, socket_usage},
              {"pidfd-socket", "", FlagType::string,
               "path to an AF_UNIX socket which will receive a file descriptor referencing the "
               "exec process"},
              {"cwd", "", FlagType::string, "current working directory in the container"},
              {"env", "e", FlagType::string, "set environment variables"},
              {"tty", "t", FlagType::boolean, "allocate a pseudo-TTY"},
              {"user", "u", FlagType::string, "UID (format: <uid>[:<gid>])"},
              {"additional-gids", "g", FlagType::string, "additional gids"},
              {"process", "p", FlagType::string, "path to the process.json"},
              {"detach", "d", FlagType::boolean, "detach from the container's process"},
              {"pid-file", "", FlagType::string, "specify the file to write the process id to"},
              {"process-label", "", FlagType::string,
               "set the asm process label for the process commonly used with selinux"},
              {"apparmor", "", FlagType::string, "set the apparmor profile for the process"},
              {"no-new-privs", "", FlagType::boolean,
               "set the no new privileges value for the process"},
              {"cap", "c", FlagType::string,
               "add a capability to the bounding set for the process"},
              {"preserve-fds", "", FlagType::integer,
               "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in "
               "total)",
               "0"},
              {"cgroup", "", FlagType::string,
               "run the process in an (existing) sub-cgroup(s). Format is "
               "[<controller>:]<cgroup>."},
              {"ignore-paused", "", FlagType::boolean, "allow exec in a paused container"},
              {"no-subreaper", "", FlagType::boolean,
               "disable the use of the subreaper used to reap reparented processes", "", true},
          },
      .arg_check = cli::ArgCheck::minimum,
      .args = 1,
      .skip_reorder = true,
      .run = run_exec,
  };
  return cmd;
}

}  // namespace keel::commands
