// `update ID`: runc's flags or a LinuxResources JSON (--resources FILE|-) merged into the
// container's resources and written through its cgroup manager.
#include <fcntl.h>
#include <unistd.h>

#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "keel/fd.hpp"
#include "keel/manage.hpp"

namespace keel::commands {
namespace {

constexpr const char* kResourceFlags[] = {
    "blkio-weight", "cpu-period",    "cpu-quota",      "cpu-burst",
    "cpu-share",    "cpu-rt-period", "cpu-rt-runtime", "cpuset-cpus",
    "cpuset-mems",  "memory",        "cpu-idle",       "memory-reservation",
    "memory-swap",  "pids-limit",    "kernel-memory",  "kernel-memory-tcp",
};

Result<std::string> read_all(int fd, const std::string& what) {
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read " + what);
    if (n == 0) return out;
    out.append(buf, static_cast<std::size_t>(n));
  }
}

// --resources: "-" is stdin (Docker, CRI), anything else a file (Podman's --resources=FILE).
Result<std::string> resources_input(const std::string& in) {
  if (in == "-") return read_all(STDIN_FILENO, "standard input");
  UniqueFd fd(::open(in.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open " + in);
  return read_all(fd.get(), in);
}

Result<std::string> requested_patch(const cli::Context& ctx) {
  if (std::string in = ctx.string("resources"); !in.empty()) {
    auto text = resources_input(in);
    if (!text) return text;
    return manage::normalize_patch(*text);
  }
  std::map<std::string, std::string> given;
  for (const char* name : kResourceFlags)
    if (ctx.has(name)) given[name] = ctx.string(name);
  auto patch = manage::patch_from_flags(given);
  if (!patch) return patch;
  return manage::normalize_patch(*patch);
}

int run_update(cli::Context& ctx) {
  manage::UpdateRequest req;
  auto patch = requested_patch(ctx);
  if (!patch) return cli::report_error(patch.error());
  req.patch_json = std::move(*patch);
  req.l3_cache_schema = ctx.string("l3-cache-schema");
  req.mem_bw_schema = ctx.string("mem-bw-schema");
  if (auto r = manage::update_container(ctx.global, ctx.args[0], req); !r)
    return cli::report_error(r.error());
  return 0;
}

}  // namespace

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
      .run = run_update,
  };
  return cmd;
}

}  // namespace keel::commands
