// urfave/cli v1's help templates, rendered by hand. Option lines are aligned like Go's tabwriter.
#include "cli/help.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <vector>

#include "cli/argv.hpp"

namespace keel::cli {
namespace {

std::string flag_left(const Flag& f) {
  std::string value = f.type == FlagType::boolean ? "" : " value";
  std::string left = "--" + f.name + value;
  if (!f.short_name.empty()) left += ", -" + f.short_name + value;
  return left;
}

std::string options_block(const std::vector<Flag>& flags) {
  std::size_t width = 0;
  for (const auto& f : flags)
    if (!f.hidden) width = std::max(width, flag_left(f).size());
  std::string out;
  for (const auto& f : flags) {
    if (f.hidden) continue;
    std::string left = flag_left(f);
    out += "   " + left + std::string(width - left.size() + 2, ' ') + f.usage;
    if (!f.default_text.empty()) out += " (default: " + f.default_text + ")";
    out += "\n";
  }
  return out;
}

// The program's text says "keel"; under the runc name the help speaks as runc.
std::string rename(std::string text, const std::string& program) {
  if (program == "keel") return text;
  for (std::size_t pos = 0; (pos = text.find("keel", pos)) != std::string::npos;) {
    text.replace(pos, 4, program);
    pos += program.size();
  }
  return text;
}

bool seccomp_plugin_installed() {
  char exe[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (n <= 0) return false;
  std::string dir(exe, static_cast<std::size_t>(n));
  dir.erase(dir.rfind('/'));
  struct stat sb;
  return ::stat((dir + "/../lib/keel/plugins/libkeel-seccomp.so").c_str(), &sb) == 0;
}

}  // namespace

std::string program_name(std::string_view argv0) {
  auto slash = argv0.rfind('/');
  std::string_view base = slash == std::string_view::npos ? argv0 : argv0.substr(slash + 1);
  return base == "runc" ? "runc" : "keel";
}

std::string command_help(const Command& cmd, const std::string& program) {
  bool has_flags =
      std::any_of(cmd.flags.begin(), cmd.flags.end(), [](auto& f) { return !f.hidden; });
  std::string out =
      "NAME:\n   " + program + " " + cmd.name + " - " + cmd.summary + "\n\nUSAGE:\n   ";
  out += program + " " + cmd.name + (has_flags ? " [command options]" : "") + " " +
         (cmd.args_usage.empty() ? "[arguments...]" : cmd.args_usage);
  if (!cmd.description.empty()) out += "\n\nDESCRIPTION:\n   " + cmd.description;
  if (has_flags) out += "\n\nOPTIONS:\n" + options_block(cmd.flags) + "   ";
  return rename(out, program) + "\n";
}

std::string app_help(std::span<const Command* const> commands, const std::string& program) {
  std::string out =
      "NAME:\n"
      "   keel - Open Container Initiative runtime\n\n"
      "keel is a command line client for running applications packaged according to\n"
      "the Open Container Initiative (OCI) format and is a compliant implementation of the\n"
      "Open Container Initiative specification. It accepts runc's command line, so engines\n"
      "that drive runc can drive keel.\n\n"
      "Containers are configured using bundles. A bundle for a container is a directory\n"
      "that includes a specification file named \"config.json\" and a root filesystem.\n"
      "The root filesystem contains the contents of the container.\n\n"
      "To start a new instance of a container:\n\n"
      "    # keel run [ -b bundle ] <container-id>\n\n"
      "Where \"<container-id>\" is your name for the instance of the container that you\n"
      "are starting. The name you provide for the container instance must be unique on\n"
      "your host. Providing the bundle directory using \"-b\" is optional. The default\n"
      "value for \"bundle\" is the current directory.\n\n"
      "USAGE:\n"
      "   keel [global options] command [command options] [arguments...]\n\n"
      "VERSION:\n   ";
  std::string version = version_text(program);
  out = rename(out, program) + version.substr(version.find(" version ") + 9) + "\nCOMMANDS:\n";
  std::size_t width = 7;  // "help, h"
  for (auto* c : commands) width = std::max(width, c->name.size());
  for (auto* c : commands)
    out += "   " + c->name + std::string(width - c->name.size() + 2, ' ') + c->summary + "\n";
  out += "   help, h" + std::string(width - 5, ' ') +
         "Shows a list of commands or help for one command\n\nGLOBAL OPTIONS:\n";
  return out + rename(options_block(global_flags()), program);
}

std::string version_text(const std::string& program) {
  std::string seccomp = seccomp_plugin_installed() ? KEEL_LIBSECCOMP_VERSION : "";
  if (program == "runc") {
    // dockerd parses "runc version X" and "commit: Y"; claim the runc feature level keel
    // implements.
    std::string out =
        "runc version 1.3.0\ncommit: keel-" KEEL_GIT_COMMIT "\nspec: 1.3.0\ngo: none\n";
    if (!seccomp.empty()) out += "libseccomp: " + seccomp + "\n";
    return out;
  }
  std::string out = "keel version " KEEL_VERSION "\ncommit: " KEEL_GIT_COMMIT "\nspec: 1.3.0\n";
  if (!seccomp.empty()) out += "libseccomp: " + seccomp + "\n";
  return out;
}

}  // namespace keel::cli
