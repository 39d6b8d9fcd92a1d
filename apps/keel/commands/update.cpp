// `update`: all of runc's flags are parsed; applying resources comes in a later issue.
#include "commands/commands.hpp"

namespace keel::commands {

const cli::Command& update() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "update",
      .summary = "update container resource constraints",
      .args_usage = "<container-id>",
      .description = "",
      .flags =
          {
              {"resources", "r", FlagType::string,
               "path to the file containing the resources to update or '-' to read from the "
               "standard input\n\n"
               "The accepted format is as follow (unchanged values can be omitted):\n\n"
               "{\n  \"memory\": {\n    \"limit\": 0,\n    \"reservation\": 0,\n    \"swap\": 0\n  "
               "},\n"
               "  \"cpu\": {\n    \"shares\": 0,\n    \"quota\": 0,\n    \"burst\": 0,\n    "
               "\"period\": 0,\n"
               "    \"realtimeRuntime\": 0,\n    \"realtimePeriod\": 0,\n    \"cpus\": \"\",\n"
               "    \"mems\": \"\",\n    \"idle\": 0\n  },\n  \"blockIO\": {\n    \"weight\": 0\n  "
               "}\n}\n\n"
               "Note: if data is to be read from a file or the standard input, all\n"
               "other options are ignored."},
              {"blkio-weight", "", FlagType::integer,
               "Specifies per cgroup weight, range is from 10 to 1000", "0"},
              {"cpu-period", "", FlagType::string,
               "CPU CFS period to be used for hardcapping (in usecs). 0 to use system default"},
              {"cpu-quota", "", FlagType::string,
               "CPU CFS hardcap limit (in usecs). Allowed cpu time in a given period"},
              {"cpu-burst", "", FlagType::string,
               "CPU CFS hardcap burst limit (in usecs). Allowed accumulated cpu time additionally "
               "for burst a given period"},
              {"cpu-share", "", FlagType::string,
               "CPU shares (relative weight vs. other containers)"},
              {"cpu-rt-period", "", FlagType::string,
               "CPU realtime period to be used for hardcapping (in usecs). 0 to use system "
               "default"},
              {"cpu-rt-runtime", "", FlagType::string,
               "CPU realtime hardcap limit (in usecs). Allowed cpu time in a given period"},
              {"cpuset-cpus", "", FlagType::string, "CPU(s) to use"},
              {"cpuset-mems", "", FlagType::string, "Memory node(s) to use"},
              {"memory", "", FlagType::string, "Memory limit (in bytes)"},
              {"cpu-idle", "", FlagType::string,
               "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE"},
              {"memory-reservation", "", FlagType::string,
               "Memory reservation or soft_limit (in bytes)"},
              {"memory-swap", "", FlagType::string,
               "Total memory usage (memory + swap); set '-1' to enable unlimited swap"},
              {"pids-limit", "", FlagType::integer,
               "Maximum number of pids allowed in the container", "0"},
              {"l3-cache-schema", "", FlagType::string,
               "The string of Intel RDT/CAT L3 cache schema"},
              {"mem-bw-schema", "", FlagType::string,
               "The string of Intel RDT/MBA memory bandwidth schema"},
              {"kernel-memory", "", FlagType::string, "(obsoleted; do not use)", "", true},
              {"kernel-memory-tcp", "", FlagType::string, "(obsoleted; do not use)", "", true},
          },
      .arg_check = cli::ArgCheck::exact,
      .args = 1,
      .run = not_implemented,
  };
  return cmd;
}

}  // namespace keel::commands
