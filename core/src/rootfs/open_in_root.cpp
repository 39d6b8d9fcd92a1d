// Path resolution that never leaves the rootfs: openat2(RESOLVE_IN_ROOT) treats absolute symlinks
// and ".." as relative to the root, and RESOLVE_NO_MAGICLINKS refuses /proc/<pid>/{fd,root,cwd}
// jumps (CVE-2019-19921, CVE-2021-30465). Missing components are created one at a time below a
// directory fd that was itself resolved in the root.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <vector>

#include "keel/linux/rootfs.hpp"
#include "rootfs_internal.hpp"

namespace keel::rootfs {
namespace detail {

Result<UniqueFd> openat2_in_root(int root_fd, const std::string& rel, uint64_t flags,
                                 uint64_t extra_resolve) {
  open_how how{};
  how.flags = flags | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra_resolve;
  for (;;) {
    long fd = ::syscall(SYS_openat2, root_fd, rel.c_str(), &how, sizeof how);
    if (fd >= 0) return UniqueFd(static_cast<int>(fd));
    // EAGAIN: a rename raced the lookup; the kernel asks us to retry.
    if (errno != EAGAIN && errno != EINTR) return sys_error("openat2 " + rel);
  }
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    i = j + 1;
  }
  return parts;
}

std::string join_path(const std::vector<std::string>& parts, size_t from, size_t to) {
  std::string out;
  for (size_t i = from; i < to; ++i) {
    if (!out.empty()) out += '/';
    out += parts[i];
  }
  return out.empty() ? "." : out;
}

}  // namespace detail

namespace {

using detail::join_path;
using detail::openat2_in_root;

constexpr int kMaxSymlinks = 40;

// Creates the first missing component of `parts` (below its longest existing prefix). Returns
// the rewritten path when that component is a dangling symlink, to be resolved again in the
// root; otherwise an empty string.
Result<std::string> create_first_missing(int root_fd, const std::vector<std::string>& parts,
                                         bool as_file) {
  size_t k = 0;
  UniqueFd parent;
  {
    auto root = openat2_in_root(root_fd, ".", O_PATH | O_DIRECTORY, 0);
    if (!root) return std::unexpected(root.error());
    parent = std::move(*root);
  }
  for (; k < parts.size(); ++k) {
    auto next = openat2_in_root(root_fd, join_path(parts, 0, k + 1), O_PATH, 0);
    if (!next) {
      if (next.error().code != ENOENT) return std::unexpected(next.error());
      break;
    }
    parent = std::move(*next);
  }
  if (k == parts.size()) return std::string();  // appeared meanwhile
  const std::string& name = parts[k];
  bool last = k + 1 == parts.size();
  int rc;
  if (last && as_file) {
    rc = ::openat(parent.get(), name.c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC,
                  0644);
    if (rc >= 0) ::close(rc);
  } else {
    rc = ::mkdirat(parent.get(), name.c_str(), 0755);
  }
  if (rc >= 0) return std::string();
  if (errno != EEXIST) return sys_error("creating " + join_path(parts, 0, k + 1));
  // It exists but did not resolve: a dangling symlink. Follow it by rewriting the path; the
  // next openat2 resolves the result inside the root again.
  std::array<char, 4096> buf{};
  ssize_t n = ::readlinkat(parent.get(), name.c_str(), buf.data(), buf.size() - 1);
  if (n < 0) return std::string();  // not a symlink: a concurrent create; retry the lookup
  std::string target(buf.data(), static_cast<size_t>(n));
  std::string rewritten = target.starts_with('/') ? target : join_path(parts, 0, k) + "/" + target;
  if (k + 1 < parts.size()) rewritten += "/" + join_path(parts, k + 1, parts.size());
  return rewritten;
}

}  // namespace

Result<UniqueFd> open_in_root(int root_fd, std::string_view path, bool create, bool as_file) {
  auto parts = detail::split_path(path);
  std::string rel = join_path(parts, 0, parts.size());
  int links = 0;
  for (int attempt = 0; attempt < 4096; ++attempt) {
    auto fd = openat2_in_root(root_fd, rel, O_PATH, 0);
    if (fd || !create || fd.error().code != ENOENT) {
      if (!fd) return std::unexpected(fd.error().context("resolving " + std::string(path)));
      return fd;
    }
    parts = detail::split_path(rel);
    auto rewritten = create_first_missing(root_fd, parts, as_file);
    if (!rewritten) return std::unexpected(rewritten.error());
    if (!rewritten->empty()) {
      if (++links > kMaxSymlinks) return sys_error("resolving " + std::string(path), ELOOP);
      rel = *rewritten;
    }
  }
  return sys_error("resolving " + std::string(path), ELOOP);
}

}  // namespace keel::rootfs
