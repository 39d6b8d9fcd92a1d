#include "tmpfs_copy_up.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <memory>
#include <string>

#include "keel/fd.hpp"

namespace keel::rootfs::detail {
namespace {

Result<void> copy_file(int src_dir, int dst_dir, const char* name, const struct stat& st) {
  UniqueFd in(::openat(src_dir, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (!in) return sys_error(std::string("open ") + name);
  UniqueFd out(::openat(dst_dir, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out) return sys_error(std::string("create ") + name);
  std::array<char, 65536> buf{};
  for (;;) {
    ssize_t n = ::read(in.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error(std::string("read ") + name);
    if (n == 0) break;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = ::write(out.get(), buf.data() + off, static_cast<size_t>(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return sys_error(std::string("write ") + name);
      off += w;
    }
  }
  if (::fchown(out.get(), st.st_uid, st.st_gid) < 0 || ::fchmod(out.get(), st.st_mode & 07777) < 0)
    return sys_error(std::string("chown/chmod ") + name);
  return {};
}

Result<void> copy_entry(int src_dir, int dst_dir, const char* name) {
  struct stat st {};
  if (::fstatat(src_dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
    return sys_error(std::string("stat ") + name);
  if (S_ISDIR(st.st_mode)) {
    if (::mkdirat(dst_dir, name, 0700) < 0) return sys_error(std::string("mkdir ") + name);
    UniqueFd s(::openat(src_dir, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    UniqueFd d(::openat(dst_dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!s || !d) return sys_error(std::string("open ") + name);
    if (auto r = copy_tree(s.get(), d.get()); !r) return r;
    if (::fchown(d.get(), st.st_uid, st.st_gid) < 0 || ::fchmod(d.get(), st.st_mode & 07777) < 0)
      return sys_error(std::string("chown/chmod ") + name);
    return {};
  }
  if (S_ISREG(st.st_mode)) return copy_file(src_dir, dst_dir, name, st);
  if (S_ISLNK(st.st_mode)) {
    std::array<char, 4096> buf{};
    ssize_t n = ::readlinkat(src_dir, name, buf.data(), buf.size() - 1);
    if (n < 0) return sys_error(std::string("readlink ") + name);
    if (::symlinkat(buf.data(), dst_dir, name) < 0)
      return sys_error(std::string("symlink ") + name);
  } else if (::mknodat(dst_dir, name, st.st_mode, st.st_rdev) < 0) {
    return sys_error(std::string("mknod ") + name);
  }
  if (::fchownat(dst_dir, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
    return sys_error(std::string("chown ") + name);
  return {};
}

}  // namespace

Result<void> copy_tree(int src_fd, int dst_fd) {
  int dir_fd = ::openat(src_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return sys_error("open directory");
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::fdopendir(dir_fd), ::closedir);
  if (!dir) {
    ::close(dir_fd);
    return sys_error("fdopendir");
  }
  while (dirent* e = ::readdir(dir.get())) {
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    if (auto r = copy_entry(::dirfd(dir.get()), dst_fd, e->d_name); !r) return r;
  }
  return {};
}

}  // namespace keel::rootfs::detail
