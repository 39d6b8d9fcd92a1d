// `restore`: all of runc's flags are parsed; the CRIU checkpointer comes in a later issue.
#include "commands/commands.hpp"

namespace keel::commands {

const cli::Command& restore() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "restore",
      .summary = "restore a container from a previous checkpoint",
      .args_usage =
          "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of "
          "the container to be\nrestored.",
      .description =
          "Restores the saved state of the container instance that was previously saved\n"
          "using the keel checkpoint command.",
      .flags =
          {
              {"console-socket", "", FlagType::string,
               "path to an AF_UNIX socket which will receive a file descriptor referencing the "
               "master end of the console's pseudoterminal"},
              {"image-path", "", FlagType::string, "path to criu image files for restoring"},
              {"work-path", "", FlagType::string, "path for saving work files and logs"},
              {"tcp-established", "", FlagType::boolean, "allow open tcp connections"},
              {"ext-unix-sk", "", FlagType::boolean, "allow external unix sockets"},
              {"shell-job", "", FlagType::boolean, "allow shell jobs"},
              {"file-locks", "", FlagType::boolean, "handle file locks, for safety"},
              {"manage-cgroups-mode", "", FlagType::string,
               "cgroups mode: soft|full|strict|ignore (default: soft)"},
              {"bundle", "b", FlagType::string, "path to the root of the bundle directory"},
              {"detach", "d", FlagType::boolean, "detach from the container's process"},
              {"pid-file", "", FlagType::string, "specify the file to write the process id to"},
              {"no-subreaper", "", FlagType::boolean,
               "disable the use of the subreaper used to reap reparented processes"},
              {"no-pivot", "", FlagType::boolean,
               "do not use pivot root to jail process inside rootfs.  This should be used whenever "
               "the rootfs is on top of a ramdisk"},
              {"empty-ns", "", FlagType::string,
               "create a namespace, but don't restore its properties"},
              {"auto-dedup", "", FlagType::boolean, "enable auto deduplication of memory images"},
              {"lazy-pages", "", FlagType::boolean,
               "use userfaultfd to lazily restore memory pages"},
              {"lsm-profile", "", FlagType::string,
               "Specify an LSM profile to be used during restore in the form of TYPE:NAME."},
              {"lsm-mount-context", "", FlagType::string,
               "Specify an LSM mount context to be used during restore."},
          },
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = not_implemented,
  };
  return cmd;
}

}  // namespace keel::commands
