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

// What create_missing did: made the whole path (`fd` is its last component), or met a dangling
// symlink (`rewritten` is the path to resolve again in the root), or neither (a concurrent
// change: resolve again).
struct Created {
  UniqueFd fd;
  std::string rewritten;
};

// The fd of a component we just created below `parent`, refusing anything but what we made: a
// racing rename could have put a symlink there, which only a lookup in the root may follow.
UniqueFd reopen_created(int parent, const std::string& name, bool dir) {
  int flags = O_PATH | O_NOFOLLOW | O_CLOEXEC | (dir ? O_DIRECTORY : 0);
  UniqueFd fd(::openat(parent, name.c_str(), flags));
  if (!fd || dir) return fd;
  struct stat st {};
  if (::fstat(fd.get(), &st) < 0 || !S_ISREG(st.st_mode)) return UniqueFd();
  return fd;
}

// Creates the missing components of `parts` below its longest existing prefix. That prefix is
// looked for from the parent up, as the usual case is one missing leaf (/dev/pts). Components
// after the first are created below the fd of the one before, not looked up again.
Result<Created> create_missing(int root_fd, const std::vector<std::string>& parts, bool as_file) {
  if (parts.empty()) return Created{};  // "/" always exists: look up again
  size_t k = parts.size() - 1;          // the first missing component, if parts[0..k) exists
  UniqueFd parent;
  for (;;) {
    auto prefix = openat2_in_root(root_fd, join_path(parts, 0, k), O_PATH, 0);
    if (prefix) {
      parent = std::move(*prefix);
      break;
    }
    if (prefix.error().code != ENOENT || k == 0) return std::unexpected(prefix.error());
    --k;
  }
  for (; k < parts.size(); ++k) {
    const std::string& name = parts[k];
    bool last = k + 1 == parts.size();
    int rc;
    if (last && as_file) {
      rc = ::openat(parent.get(), name.c_str(),
                    O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644);
      if (rc >= 0) ::close(rc);
    } else {
      rc = ::mkdirat(parent.get(), name.c_str(), 0755);
    }
    if (rc < 0) {
      if (errno != EEXIST) return sys_error("creating " + join_path(parts, 0, k + 1));
      // It exists but did not resolve: a dangling symlink. Follow it by rewriting the path;
      // the next openat2 resolves the result inside the root again.
      std::array<char, 4096> buf{};
      ssize_t n = ::readlinkat(parent.get(), name.c_str(), buf.data(), buf.size() - 1);
      if (n < 0) return Created{};  // not a symlink: a concurrent create; look up again
      std::string target(buf.data(), static_cast<size_t>(n));
      std::string rewritten =
          target.starts_with('/') ? target : join_path(parts, 0, k) + "/" + target;
      if (!last) rewritten += "/" + join_path(parts, k + 1, parts.size());
      return Created{UniqueFd(), rewritten};
    }
    UniqueFd made = reopen_created(parent.get(), name, !(last && as_file));
    if (!made) return Created{};
    parent = std::move(made);
  }
  return Created{std::move(parent), ""};
}

}  // namespace

namespace {

// open_in_root's loop; `missing`: the caller just saw the path fail with ENOENT, so the first
// lookup is skipped.
Result<UniqueFd> resolve(int root_fd, std::string_view path, bool create, bool as_file,
                         bool missing) {
  auto parts = detail::split_path(path);
  std::string rel = join_path(parts, 0, parts.size());
  int links = 0;
  for (int attempt = 0; attempt < 4096; ++attempt) {
    if (!missing) {
      auto fd = openat2_in_root(root_fd, rel, O_PATH, 0);
      if (fd || !create || fd.error().code != ENOENT) {
        if (!fd) return std::unexpected(fd.error().context("resolving " + std::string(path)));
        return fd;
      }
    }
    missing = false;
    parts = detail::split_path(rel);
    auto created = create_missing(root_fd, parts, as_file);
    if (!created) return std::unexpected(created.error());
    if (created->fd) return std::move(created->fd);
    if (!created->rewritten.empty()) {
      if (++links > kMaxSymlinks) return sys_error("resolving " + std::string(path), ELOOP);
      rel = created->rewritten;
    }
  }
  return sys_error("resolving " + std::string(path), ELOOP);
}

}  // namespace

Result<UniqueFd> open_in_root(int root_fd, std::string_view path, bool create, bool as_file) {
  return resolve(root_fd, path, create, as_file, false);
}

namespace detail {
Result<UniqueFd> create_in_root(int root_fd, std::string_view path, bool as_file) {
  return resolve(root_fd, path, true, as_file, true);
}
}  // namespace detail

}  // namespace keel::rootfs
