// Go flag-package parsing, shared by the global flags and every subcommand.
#include "cli/argv.hpp"

#include <charconv>
#include <optional>

namespace keel::cli {
namespace {

const Flag* find_flag(const std::vector<Flag>& flags, std::string_view name) {
  for (const auto& f : flags)
    if (f.name == name || (!f.short_name.empty() && f.short_name == name)) return &f;
  return nullptr;
}

bool is_integer(std::string_view v) {
  long long n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  return ec == std::errc{} && p == v.data() + v.size();
}

// Go's time.ParseDuration accepts e.g. "5s", "1m30s", "250ms"; checked loosely here.
bool is_duration(std::string_view v) {
  if (v.empty()) return false;
  if (v == "0") return true;
  bool digit = false;
  for (char c : v) {
    if ((c >= '0' && c <= '9') || c == '.')
      digit = true;
    else if (!digit && c != '-' && c != '+')
      return false;
  }
  return digit && !(v.back() >= '0' && v.back() <= '9');
}

struct OneFlag {
  bool consumed_next = false;
  ParseError error;
};

// Parses args[i] (known to start with '-' and be longer than 1) against `flags`, storing into
// `values` under the flag's long name. Mirrors flag.FlagSet.parseOne.
OneFlag parse_one(const std::vector<Flag>& flags, std::span<const std::string> args, std::size_t i,
                  std::map<std::string, std::vector<std::string>>& values) {
  const std::string& s = args[i];
  std::size_t dashes = s[1] == '-' ? 2 : 1;
  std::string name = s.substr(dashes);
  if (name.empty() || name[0] == '-' || name[0] == '=') return {false, {"bad flag syntax: " + s}};
  std::optional<std::string> value;
  if (auto eq = name.find('='); eq != std::string::npos) {
    value = name.substr(eq + 1);
    name.resize(eq);
  }
  const Flag* f = find_flag(flags, name);
  if (f == nullptr) {
    if (name == "help" || name == "h") return {false, {"", true}};
    return {false, {"flag provided but not defined: -" + name}};
  }
  if (f->type == FlagType::boolean) {
    bool b = true;
    if (value && !parse_bool(*value, b))
      return {false, {"invalid boolean value \"" + *value + "\" for -" + name + ": parse error"}};
    values[f->name].push_back(b ? "true" : "false");
    return {};
  }
  bool consumed = false;
  if (!value) {
    if (i + 1 >= args.size()) return {false, {"flag needs an argument: -" + name}};
    value = args[i + 1];
    consumed = true;
  }
  if ((f->type == FlagType::integer && !is_integer(*value)) ||
      (f->type == FlagType::duration && !is_duration(*value)))
    return {consumed, {"invalid value \"" + *value + "\" for flag -" + name + ": parse error"}};
  values[f->name].push_back(*value);
  return {consumed, {}};
}

bool looks_like_flag(const std::string& s) {
  return s.size() >= 2 && s[0] == '-';
}

// Does `s` name one of `flags` (urfave's argIsFlag, used when reordering)?
bool names_flag(const std::vector<Flag>& flags, const std::string& s) {
  if (!looks_like_flag(s) || s == "--") return false;
  std::string name = s.substr(s[1] == '-' ? 2 : 1);
  name = name.substr(0, name.find('='));
  return find_flag(flags, name) != nullptr || name == "help" || name == "h";
}

}  // namespace

bool parse_bool(std::string_view t, bool& out) {
  if (t == "1" || t == "t" || t == "T" || t == "true" || t == "TRUE" || t == "True") {
    out = true;
    return true;
  }
  if (t == "0" || t == "f" || t == "F" || t == "false" || t == "FALSE" || t == "False") {
    out = false;
    return true;
  }
  return false;
}

const std::vector<Flag>& global_flags() {
  static const std::vector<Flag> flags = {
      {"debug", "", FlagType::boolean, "enable debug logging", "", false},
      {"log", "", FlagType::string,
       "set the log file to write keel logs to (default is '/dev/stderr')", "", false},
      {"log-format", "", FlagType::string, "set the log format ('text' (default), or 'json')",
       "\"text\"", false},
      {"root", "", FlagType::string,
       "root directory for storage of container state (this should be located in tmpfs)",
       "\"/run/keel\"", false},
      {"criu", "", FlagType::string,
       "(obsolete; do not use) path to the criu binary used for checkpoint and restore", "", false},
      {"systemd-cgroup", "", FlagType::boolean,
       "enable systemd cgroup support, expects cgroupsPath to be of form \"slice:prefix:name\" "
       "for e.g. \"system.slice:keel:434234\"",
       "", false},
      {"rootless", "", FlagType::string,
       "ignore cgroup permission errors ('true', 'false', or 'auto')", "\"auto\"", false},
      {"help", "h", FlagType::boolean, "show help", "", false},
      {"version", "v", FlagType::boolean, "print the version", "", false},
  };
  return flags;
}

GlobalResult parse_global(std::span<const std::string> args, Context& ctx) {
  GlobalResult r;
  std::map<std::string, std::vector<std::string>> values;
  std::size_t i = 0;
  for (; i < args.size(); ++i) {
    if (!looks_like_flag(args[i])) break;
    if (args[i] == "--") {
      ++i;
      break;
    }
    OneFlag one = parse_one(global_flags(), args, i, values);
    if (one.error.help) {
      r.help = true;
      continue;
    }
    if (!one.error.message.empty()) {
      r.error = one.error.message;
      r.usage = true;
      return r;
    }
    if (one.consumed_next) ++i;
  }
  r.next = i;
  auto last = [&](const char* n) -> const std::string* {
    auto it = values.find(n);
    return it == values.end() ? nullptr : &it->second.back();
  };
  if (auto v = last("root")) ctx.global.root = *v;
  if (auto v = last("log")) ctx.log_path = *v;
  if (auto v = last("log-format")) ctx.log_format = *v;
  if (auto v = last("debug")) ctx.global.debug = *v == "true";
  if (auto v = last("systemd-cgroup")) ctx.global.systemd_cgroup = *v == "true";
  if (auto v = last("rootless")) ctx.global.rootless = *v;
  if (auto v = last("help")) r.help = r.help || *v == "true";
  if (auto v = last("version")) r.version = *v == "true";
  if (last("criu")) r.warnings.push_back("--criu is ignored (criu binary from PATH is used)");
  if (ctx.log_format != "text" && ctx.log_format != "json")
    r.error = "invalid log-format: " + ctx.log_format;
  else if (ctx.global.rootless != "true" && ctx.global.rootless != "false" &&
           ctx.global.rootless != "auto")
    r.error = "invalid --rootless argument: " + ctx.global.rootless;
  return r;
}

ParseError parse_command(const Command& cmd, std::span<const std::string> args, Context& ctx) {
  ctx.values.clear();
  ctx.args.clear();
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      ctx.args.insert(ctx.args.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1,
                      args.end());
      break;
    }
    // Before the first positional every dash word is a flag (unknown ones are errors). After it,
    // only the command's own flags are moved forward, and only when the command allows it.
    bool flag_here =
        looks_like_flag(a) && (ctx.args.empty() || (!cmd.skip_reorder && names_flag(cmd.flags, a)));
    if (!flag_here) {
      if (cmd.skip_reorder && !ctx.args.empty()) {
        ctx.args.insert(ctx.args.end(), args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
        break;
      }
      ctx.args.push_back(a);
      continue;
    }
    OneFlag one = parse_one(cmd.flags, args, i, ctx.values);
    if (one.error.help || !one.error.message.empty()) return one.error;
    if (one.consumed_next) ++i;
  }
  return {};
}

std::string check_args(const Command& cmd, const Context& ctx, const std::string& argv0) {
  int n = static_cast<int>(ctx.args.size());
  std::string head = argv0 + ": \"" + cmd.name + "\" requires ";
  switch (cmd.arg_check) {
    case ArgCheck::none:
      return {};
    case ArgCheck::exact:
      if (n != cmd.args) return head + "exactly " + std::to_string(cmd.args) + " argument(s)";
      return {};
    case ArgCheck::minimum:
      if (n < cmd.args) return head + "a minimum of " + std::to_string(cmd.args) + " argument(s)";
      if (cmd.max_args >= 0 && n > cmd.max_args)
        return head + "a maximum of " + std::to_string(cmd.max_args) + " argument(s)";
      return {};
  }
  return {};
}

bool Context::flag(const std::string& name) const {
  auto it = values.find(name);
  return it != values.end() && it->second.back() == "true";
}

std::string Context::string(const std::string& name, const std::string& fallback) const {
  auto it = values.find(name);
  return it == values.end() ? fallback : it->second.back();
}

std::vector<std::string> Context::strings(const std::string& name) const {
  auto it = values.find(name);
  return it == values.end() ? std::vector<std::string>{} : it->second;
}

long long Context::integer(const std::string& name, long long fallback) const {
  auto it = values.find(name);
  if (it == values.end()) return fallback;
  long long n = fallback;
  std::from_chars(it->second.back().data(), it->second.back().data() + it->second.back().size(), n);
  return n;
}

}  // namespace keel::cli
