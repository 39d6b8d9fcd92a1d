// `checkpoint`: all of runc's flags are parsed; the CRIU checkpointer comes in a later issue.
#include "commands/commands.hpp"

namespace keel::commands {

const cli::Command& checkpoint() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "checkpoint",
      .summary = "checkpoint a running container",
      .args_usage =
          "<container-id>\n\nWhere \"<container-id>\" is the name for the instance of "
          "the container to be\ncheckpointed.",
      .description = "The checkpoint command saves the state of the container instance.",
      .flags =
          {
              {"image-path", "", FlagType::string, "path for saving criu image files"},
              {"work-path", "", FlagType::string, "path for saving work files and logs"},
              {"parent-path", "", FlagType::string,
               "path for previous criu image files in pre-dump"},
              {"leave-running", "", FlagType::boolean,
               "leave the process running after checkpointing"},
              {"tcp-established", "", FlagType::boolean, "allow open tcp connections"},
              {"tcp-skip-in-flight", "", FlagType::boolean, "skip in-flight tcp connections"},
              {"link-remap", "", FlagType::boolean,
               "allow one to link unlinked files back when possible"},
              {"ext-unix-sk", "", FlagType::boolean, "allow external unix sockets"},
              {"shell-job", "", FlagType::boolean, "allow shell jobs"},
              {"lazy-pages", "", FlagType::boolean,
               "use userfaultfd to lazily restore memory pages"},
              {"status-fd", "", FlagType::integer,
               "criu writes \\0 to this FD once lazy-pages is ready", "-1"},
              {"page-server", "", FlagType::string, "ADDRESS:PORT of the page server"},
              {"file-locks", "", FlagType::boolean, "handle file locks, for safety"},
              {"pre-dump", "", FlagType::boolean,
               "dump container's memory information only, leave the container running after this"},
              {"manage-cgroups-mode", "", FlagType::string,
               "cgroups mode: soft|full|strict|ignore (default: soft)"},
              {"empty-ns", "", FlagType::string,
               "create a namespace, but don't restore its properties"},
              {"auto-dedup", "", FlagType::boolean, "enable auto deduplication of memory images"},
          },
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = not_implemented,
  };
  return cmd;
}

}  // namespace keel::commands
