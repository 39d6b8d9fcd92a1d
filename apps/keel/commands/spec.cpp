// `spec [--bundle DIR] [--rootless]`: write runc's starter config.json, never over an existing one.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "commands/spec_template.hpp"
#include "keel/fd.hpp"

namespace keel::commands {
namespace {

void replace(std::string& s, const std::string& from, const std::string& to) {
  if (auto pos = s.find(from); pos != std::string::npos) s.replace(pos, from.size(), to);
}

int run_spec(cli::Context& ctx) {
  std::string bundle = ctx.string("bundle");
  if (!bundle.empty() && ::chdir(bundle.c_str()) != 0)
    return cli::report_error(sys_error("chdir " + bundle).error());
  std::string text = ctx.flag("rootless") ? kRootlessSpecTemplate : kSpecTemplate;
  replace(text, "@UID@", std::to_string(::geteuid()));
  replace(text, "@GID@", std::to_string(::getegid()));
  // O_EXCL instead of a separate existence check: nothing can slip in between.
  UniqueFd fd(::open("config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666));
  if (!fd && errno == EEXIST) return cli::report_error("File config.json exists. Remove it first");
  if (!fd) return cli::report_error(sys_error("creating config.json").error());
  std::string_view rest = text;
  while (!rest.empty()) {
    ssize_t n = ::write(fd.get(), rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return cli::report_error(sys_error("writing config.json").error());
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  return 0;
}

}  // namespace

const cli::Command& spec() {
  using cli::FlagType;
  static const cli::Command cmd{
      .name = "spec",
      .summary = "create a new specification file",
      .args_usage = "",
      .description =
          "The spec command creates the new specification file named \"config.json\" for\n"
          "the bundle.\n\n"
          "The spec generated is just a starter file. Editing of the spec is required to\n"
          "achieve desired results. For example, the newly generated spec includes an args\n"
          "parameter that is initially set to call the \"sh\" command when the container is\n"
          "started. Calling \"sh\" may work for an ubuntu container or busybox, but will not\n"
          "work for containers that do not include the \"sh\" program.\n\n"
          "EXAMPLE:\n"
          "  To run a busybox container, unpack a busybox root filesystem into \"rootfs\",\n"
          "then create the spec and run it:\n\n"
          "    mkdir hello\n"
          "    cd hello\n"
          "    mkdir -p rootfs/bin\n"
          "    cp /bin/busybox rootfs/bin/ && ln -s busybox rootfs/bin/sh\n"
          "    keel spec\n"
          "    keel run container1\n\n"
          "In the run command above, \"container1\" is the name for the instance of the\n"
          "container that you are starting. The name you provide for the container instance\n"
          "must be unique on your host.\n\n"
          "You can also start a rootless container, which has the ability to run without\n"
          "root privileges. Pass --rootless to this command to generate a proper rootless\n"
          "spec file.\n",
      .flags = {{"bundle", "b", FlagType::string, "path to the root of the bundle directory"},
                {"rootless", "", FlagType::boolean,
                 "generate a configuration for a rootless container"}},
      .arg_check = cli::ArgCheck::exact,
      .args = 0,
      .run = run_spec,
  };
  return cmd;
}

}  // namespace keel::commands
