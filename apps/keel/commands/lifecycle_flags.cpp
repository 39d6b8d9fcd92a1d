#include "commands/lifecycle_flags.hpp"

#include <unistd.h>

#include <climits>

#include "keel/state.hpp"

namespace keel::commands {

std::string new_container_description(const std::string& verb) {
  return "The " + verb +
         " command creates an instance of a container for a bundle. The bundle\n"
         "is a directory with a specification file named \"config.json\" and a root\n"
         "filesystem.\n\n"
         "The specification file includes an args parameter. The args parameter is used\n"
         "to specify command(s) that get run when the container is started. To change the\n"
         "command(s) that get executed on start, edit the args parameter of the spec. See\n"
         "\"keel spec --help\" for more explanation.";
}

std::vector<cli::Flag> create_flags(bool for_run) {
  using cli::FlagType;
  std::vector<cli::Flag> f = {
      {"bundle", "b", FlagType::string,
       "path to the root of the bundle directory, defaults to the current directory"},
      {"console-socket", "", FlagType::string,
       "path to an AF_UNIX socket which will receive a file descriptor referencing the master "
       "end of the console's pseudoterminal"},
      {"pidfd-socket", "", FlagType::string,
       "path to an AF_UNIX socket which will receive a file descriptor referencing the init "
       "process"},
  };
  if (for_run) {
    f.push_back({"detach", "d", FlagType::boolean, "detach from the container's process"});
    f.push_back({"keep", "", FlagType::boolean, "do not delete the container after it exits"});
  }
  f.push_back({"pid-file", "", FlagType::string, "specify the file to write the process id to"});
  if (for_run)
    f.push_back({"no-subreaper", "", FlagType::boolean,
                 "disable the use of the subreaper used to reap reparented processes"});
  f.push_back({"no-pivot", "", FlagType::boolean,
               "do not use pivot root to jail process inside rootfs.  This should be used "
               "whenever the rootfs is on top of a ramdisk"});
  f.push_back({"no-new-keyring", "", FlagType::boolean,
               "do not create a new session keyring for the container.  This will cause the "
               "container to inherit the calling processes session key"});
  f.push_back({"preserve-fds", "", FlagType::integer,
               "Pass N additional file descriptors to the container (stdio + $LISTEN_FDS + N in "
               "total)",
               "0"});
  return f;
}

Result<void> fill_create_options(const cli::Context& ctx, CreateOptions& out) {
  out.id = ctx.args.at(0);
  if (auto ok = validate_container_id(out.id); !ok) return ok;
  std::string bundle = ctx.string("bundle");
  if (bundle.empty() || bundle[0] != '/') {
    char cwd[PATH_MAX];
    if (::getcwd(cwd, sizeof cwd) == nullptr) return sys_error("getting the current directory");
    bundle = bundle.empty() ? std::string(cwd) : std::string(cwd) + "/" + bundle;
  }
  out.bundle = bundle;
  out.pid_file = ctx.string("pid-file");
  out.console_socket = ctx.string("console-socket");
  out.pidfd_socket = ctx.string("pidfd-socket");
  out.no_pivot = ctx.flag("no-pivot");
  out.no_new_keyring = ctx.flag("no-new-keyring");
  out.preserve_fds = static_cast<int>(ctx.integer("preserve-fds"));
  if (out.preserve_fds < 0) return fail("invalid --preserve-fds: must not be negative");
  return {};
}

}  // namespace keel::commands
