// `plugins` (keel's own): every plugin file found, loaded to report on it, as a table or JSON.
#include "keel/plugins.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cli/report.hpp"
#include "cli/table.hpp"
#include "commands/commands.hpp"

namespace keel::commands {
namespace {

std::string as_json(const std::vector<PluginInfo>& infos) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartArray();
  for (const auto& p : infos) {
    w.StartObject();
    for (auto [k, v] : {std::pair<const char*, const std::string*>{"name", &p.name},
                        {"kind", &p.kind},
                        {"version", &p.version},
                        {"abi", &p.abi},
                        {"path", &p.path}}) {
      w.Key(k);
      w.String(v->c_str());
    }
    w.Key("loaded");
    w.Bool(p.loaded);
    if (!p.error.empty()) {
      w.Key("error");
      w.String(p.error.c_str());
    }
    w.EndObject();
  }
  w.EndArray();
  return std::string(buf.GetString(), buf.GetSize()) + "\n";
}

int run_plugins(cli::Context& ctx) {
  std::string format = ctx.string("format", "table");
  if (format != "table" && format != "json") return cli::report_error("invalid format option");
  auto config = load_plugin_config();
  if (!config) return cli::report_error(config.error());
  PluginHost host(std::move(*config));
  auto infos = host.discover();
  if (format == "json") {
    cli::print(as_json(infos));
    return 0;
  }
  std::vector<std::vector<std::string>> rows = {
      {"NAME", "KIND", "VERSION", "ABI", "PATH", "STATUS"}};
  for (const auto& p : infos)
    rows.push_back(
        {p.name, p.kind, p.version, p.abi, p.path, p.loaded ? "loaded" : "refused: " + p.error});
  cli::print(cli::tabwriter(rows, 4, 2));
  return 0;
}

}  // namespace

const cli::Command& plugins() {
  static const cli::Command cmd{
      .name = "plugins",
      .summary = "list the plugins keel finds and whether they load",
      .args_usage = "",
      .description =
          "The plugins command loads every plugin in the configured plugin directories\n"
          "and drop-ins and reports its name, kind, version, ABI and path, or why it was\n"
          "refused.",
      .flags = {{"format", "f", cli::FlagType::string, "select one of: table or json",
                 "\"table\""}},
      .arg_check = cli::ArgCheck::exact,
      .args = 0,
      .run = run_plugins,
  };
  return cmd;
}

}  // namespace keel::commands
