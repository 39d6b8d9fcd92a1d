// args[0] lookup: Go's exec.LookPath semantics (which runc 1.1 uses), done inside a root with
// openat2(RESOLVE_IN_ROOT) instead of after pivot_root.
#include "keel/linux/exec_lookup.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <string_view>

#include "go_errors.hpp"
#include "keel/fd.hpp"

namespace keel::process {
namespace {

using detail::go_errno_text;

// 0 when `path` (resolved inside the root) is a regular file with an exec bit; else the errno
// Go's findExecutable would report (EACCES for "exists but not executable").
int find_executable(int root_fd, const std::string& path) {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  UniqueFd fd(static_cast<int>(syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how)));
  if (!fd) return errno;
  struct stat st {};
  if (fstat(fd.get(), &st) != 0) return errno;
  if (S_ISREG(st.st_mode) && (st.st_mode & 0111) != 0) return 0;
  return EACCES;
}

std::string join(std::string_view dir, std::string_view file) {
  std::string out(dir);
  if (out.empty() || out.back() != '/') out += '/';
  out += file;
  return out;
}

std::unexpected<Error> exec_error(const std::string& name, int err, std::string cause) {
  return fail("exec: \"" + name + "\": " + cause, err);
}

// The value of the last PATH= entry, as the init's environment ends up with it.
std::optional<std::string> path_from_env(const std::vector<std::string>& env) {
  std::optional<std::string> path;
  for (const auto& kv : env) {
    if (kv.starts_with("PATH=")) path = kv.substr(5);
  }
  return path;
}

Result<std::string> lookup_with_slash(int root_fd, const std::string& name, std::string cwd) {
  if (cwd.empty()) cwd = "/";
  const std::string path = name.starts_with('/') ? name : join(cwd, name);
  const int err = find_executable(root_fd, path);
  if (err == 0) return path;
  if (err == EACCES) return exec_error(name, err, go_errno_text(err));
  return exec_error(name, err, "stat " + name + ": " + go_errno_text(err));
}

Result<std::string> lookup_in_path(int root_fd, const std::string& name,
                                   const std::vector<std::string>& env, const std::string& cwd) {
  const std::string path_list = path_from_env(env).value_or("");
  size_t start = 0;
  // Go's filepath.SplitList: "" yields no entry at all, "a:" yields "a" and "".
  while (!path_list.empty() && start <= path_list.size()) {
    size_t end = path_list.find(':', start);
    if (end == std::string::npos) end = path_list.size();
    std::string dir = path_list.substr(start, end - start);
    start = end + 1;
    if (dir.empty()) dir = ".";
    if (!dir.starts_with('/')) {
      // A match here is relative to the cwd, which Go (>= 1.19) refuses as ErrDot.
      if (find_executable(root_fd, join(join(cwd.empty() ? "/" : cwd, dir), name)) == 0) {
        return exec_error(name, ENOENT,
                          "cannot run executable found relative to current directory");
      }
      continue;
    }
    const std::string candidate = join(dir, name);
    if (find_executable(root_fd, candidate) == 0) return candidate;
  }
  return exec_error(name, ENOENT, "executable file not found in $PATH");
}

}  // namespace

Result<std::string> resolve_executable(const std::string& rootfs, const spec::Process& process) {
  if (process.args.empty() || process.args[0].empty()) {
    return fail("args must not be empty");
  }
  UniqueFd root(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys_error("open rootfs " + rootfs);
  const std::string& name = process.args[0];
  if (name.find('/') != std::string::npos) return lookup_with_slash(root.get(), name, process.cwd);
  return lookup_in_path(root.get(), name, process.env, process.cwd);
}

}  // namespace keel::process
