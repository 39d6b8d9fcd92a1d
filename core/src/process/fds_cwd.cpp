// File descriptors and the working directory: the two ways a host object can leak into the
// container past execve (CVE-2024-21626).
#include <dirent.h>
#include <fcntl.h>
#include <linux/close_range.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <string>
#include <vector>

#include "keel/fd.hpp"
#include "keel/linux/process.hpp"

namespace keel::process {
namespace {

// Slow path for kernels without close_range (< 5.9, or < 5.11 for CLOSE_RANGE_CLOEXEC).
Result<void> sweep_by_proc(unsigned lo, unsigned hi, FdSweep how) {
  DIR* dir = opendir("/proc/self/fd");
  if (!dir) return sys_error("opening /proc/self/fd");
  const int own = dirfd(dir);
  std::vector<int> fds;
  while (dirent* e = readdir(dir)) {
    char* end = nullptr;
    const long fd = std::strtol(e->d_name, &end, 10);
    if (*end != '\0' || e->d_name[0] == '.' || fd == own) continue;
    if (fd >= static_cast<long>(lo) && fd <= static_cast<long>(hi)) fds.push_back(int(fd));
  }
  closedir(dir);
  for (int fd : fds) {
    if (how == FdSweep::close) {
      close(fd);
    } else if (fcntl(fd, F_SETFD, FD_CLOEXEC) != 0 && errno != EBADF) {
      return sys_error("setting close-on-exec on fd " + std::to_string(fd));
    }
  }
  return {};
}

Result<void> sweep(unsigned lo, unsigned hi, FdSweep how) {
  if (lo > hi) return {};
  const unsigned flags = how == FdSweep::cloexec ? CLOSE_RANGE_CLOEXEC : 0;
  if (syscall(SYS_close_range, lo, hi, flags) == 0) return {};
  if (errno != ENOSYS && errno != EINVAL) return sys_error("close_range");
  return sweep_by_proc(lo, hi, how);
}

// Splits "/a//b/./c" into {"a", "b", "c"}.
std::vector<std::string> components(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (!part.empty() && part != ".") out.push_back(std::move(part));
    start = end + 1;
  }
  return out;
}

int open_in_root(int root_fd, const std::string& path) {
  open_how how{};
  how.flags = O_PATH | O_DIRECTORY | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(syscall(SYS_openat2, root_fd, path.c_str(), &how, sizeof how));
}

}  // namespace

Result<void> close_fds_except(int keep_from, int keep_to, FdSweep how) {
  if (keep_to < keep_from) return sweep(3, UINT_MAX, how);
  if (keep_from > 3) {
    if (auto r = sweep(3, static_cast<unsigned>(keep_from - 1), how); !r) return r;
  }
  if (keep_to == INT_MAX) return {};
  return sweep(static_cast<unsigned>(std::max(3, keep_to + 1)), UINT_MAX, how);
}

Result<void> ensure_cwd(int rootfs_fd, const std::string& cwd) {
  // Walk down one component at a time; each mkdir happens in the directory just resolved
  // inside the root, so neither ".." nor a symlink can put it on the host.
  UniqueFd parent(fcntl(rootfs_fd, F_DUPFD_CLOEXEC, 0));
  if (!parent) return sys_error("dup rootfs fd");
  std::string prefix;
  for (const auto& part : components(cwd)) {
    prefix += "/" + part;
    UniqueFd dir(open_in_root(rootfs_fd, prefix));
    if (!dir && errno == ENOENT) {
      if (mkdirat(parent.get(), part.c_str(), 0755) != 0 && errno != EEXIST) {
        return sys_error("creating cwd " + cwd + ": mkdir " + prefix);
      }
      dir.reset(open_in_root(rootfs_fd, prefix));
    }
    if (!dir) return sys_error("creating cwd " + cwd + ": open " + prefix);
    parent = std::move(dir);
  }
  return {};
}

Result<void> verify_cwd() {
  // The raw syscall, because glibc's getcwd hides "(unreachable)" behind ENOENT. Both cases get
  // runc's message (Go's unix.Getwd also maps a non-absolute answer to ENOENT).
  char buf[PATH_MAX + 1] = {};
  const long n = syscall(SYS_getcwd, buf, sizeof buf - 1);
  if ((n < 0 && errno == ENOENT) || (n >= 0 && buf[0] != '/')) {
    return fail(
        "current working directory is outside of container mount namespace root -- possible "
        "container breakout detected",
        ENOENT);
  }
  if (n < 0) return sys_error("failed to verify if current working directory is safe");
  return {};
}

}  // namespace keel::process
