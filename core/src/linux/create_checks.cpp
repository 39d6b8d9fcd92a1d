#include "create_checks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "keel/linux/exec_lookup.hpp"
#include "runtime_files.hpp"

namespace keel::runtime {

Result<CreateChecks> check_before_create(const spec::Config& config, const std::string& bundle) {
  if (!config.root || config.root->path.empty()) return fail("root.path is not set");
  if (!config.process) return fail("process is not set");
  if (config.process->args.empty()) return fail("args must not be empty");
  CreateChecks out;
  out.rootfs =
      config.root->path.starts_with('/') ? config.root->path : bundle + "/" + config.root->path;
  out.rootfs = absolute_path(out.rootfs);
  struct stat st;
  if (::stat(out.rootfs.c_str(), &st) < 0) return sys_error("rootfs " + out.rootfs);
  if (!S_ISDIR(st.st_mode)) return fail("rootfs " + out.rootfs + " is not a directory", ENOTDIR);
  auto exec = process::resolve_executable(out.rootfs, *config.process);
  if (!exec) return std::unexpected(exec.error().context("unable to start container process"));
  out.exec_path = *exec;
  return out;
}

}  // namespace keel::runtime
