#include "create_checks.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include "runtime_files.hpp"

namespace keel::runtime {
namespace {

// TEMPORARY until keel_process's resolve_executable lands: PATH lookup inside the rootfs without
// symlink containment.
Result<std::string> resolve_in_rootfs(const std::string& rootfs, const spec::Process& p) {
  const std::string& name = p.args.front();
  auto is_exec = [&](const std::string& path) {
    struct stat st;
    std::string host = rootfs + path;
    return ::stat(host.c_str(), &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
  };
  if (name.find('/') != std::string::npos) {
    std::string path = name.starts_with('/') ? name : p.cwd + "/" + name;
    struct stat st;
    if (::stat((rootfs + path).c_str(), &st) < 0)
      return sys_error("exec: \"" + name + "\": stat " + name);
    if (!is_exec(path)) return fail("exec: \"" + name + "\": permission denied", EACCES);
    return path;
  }
  std::string path_var = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  for (const auto& e : p.env)
    if (e.starts_with("PATH=")) path_var = e.substr(5);
  size_t start = 0;
  while (start <= path_var.size()) {
    size_t end = path_var.find(':', start);
    if (end == std::string::npos) end = path_var.size();
    std::string dir = path_var.substr(start, end - start);
    if (dir.empty()) dir = ".";
    std::string candidate = dir + "/" + name;
    if (is_exec(candidate)) return candidate;
    start = end + 1;
  }
  return fail("exec: \"" + name + "\": executable file not found in $PATH", ENOENT);
}

}  // namespace

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
  auto exec = resolve_in_rootfs(out.rootfs, *config.process);
  if (!exec) return std::unexpected(exec.error().context("unable to start container process"));
  out.exec_path = *exec;
  return out;
}

}  // namespace keel::runtime
