// `exec`: flags parsed (everything after the id is the process argv); exec comes in a later issue.
#include "commands/commands.hpp"

namespace keel::commands {

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
      .run = not_implemented,
  };
  return cmd;
}

}  // namespace keel::commands
