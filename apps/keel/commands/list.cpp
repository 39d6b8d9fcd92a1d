// `list`: every container under --root as runc's table, ids only (-q) or a JSON array.
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "cli/report.hpp"
#include "cli/table.hpp"
#include "commands/commands.hpp"
#include "keel/state.hpp"

namespace keel::commands {
namespace {

struct Entry {
  ContainerState state;
  Status status;
};

// runc: the user name of the state dir's owner, or "#<uid>" when it has none.
std::string owner_of(const std::string& dir) {
  struct stat sb;
  if (::stat(dir.c_str(), &sb) != 0) return "";
  if (passwd* pw = ::getpwuid(sb.st_uid)) return pw->pw_name;
  return "#" + std::to_string(sb.st_uid);
}

int run_list(cli::Context& ctx) {
  std::string format = ctx.string("format", "table");
  if (format != "table" && format != "json") return cli::report_error("invalid format option");
  StateStore store(ctx.global.root);
  auto ids = store.ids();
  if (!ids) return cli::report_error(ids.error());
  std::vector<Entry> entries;
  for (const auto& id : *ids) {
    auto st = store.read(id);
    if (!st) {  // like runc: a broken entry is noted on stderr and skipped; list still succeeds
      cli::print_stderr("load container " + id + ": " + st.error().message + "\n");
      continue;
    }
    st->owner = owner_of(store.dir_of(id));
    Status status = observed_status(*st, store.dir_of(id));
    entries.push_back({std::move(*st), status});
  }
  if (ctx.flag("quiet")) {
    std::string out;
    for (const auto& e : entries) out += e.state.id + "\n";
    cli::print(out);
    return 0;
  }
  if (format == "json") {
    if (entries.empty()) {
      cli::print("null\n");
      return 0;
    }
    std::string out = "[";
    for (std::size_t i = 0; i < entries.size(); ++i)
      out += (i ? "," : "") + state_json(entries[i].state, entries[i].status, false);
    cli::print(out + "]\n");
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}};
  for (const auto& e : entries) {
    pid_t pid = e.status == Status::stopped ? 0 : e.state.init_pid;
    rows.push_back({e.state.id, std::to_string(pid), std::string(to_string(e.status)),
                    e.state.bundle, e.state.created, e.state.owner});
  }
  cli::print(cli::tabwriter(rows, 12, 3));
  return 0;
}

}  // namespace

const cli::Command& list() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "list",
      .summary = "lists containers started by keel with the given root",
      .args_usage =
          "\n\nWhere the given root is specified via the global option \"--root\"\n"
          "(default: \"/run/keel\").\n\n"
          "EXAMPLE 1:\n"
          "To list containers created via the default \"--root\":\n"
          "       # keel list\n\n"
          "EXAMPLE 2:\n"
          "To list containers created using a non-default value for \"--root\":\n"
          "       # keel --root value list",
      .description = "",
      .flags = {{"format", "f", FlagType::string, "select one of: table or json", "\"table\""},
                {"quiet", "q", FlagType::boolean, "display only container IDs"}},
      .arg_check = cli::ArgCheck::exact,
      .args = 0,
      .run = run_list,
  };
  return cmd;
}

}  // namespace keel::commands
