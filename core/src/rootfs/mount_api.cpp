#include "mount_api.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>

namespace keel::rootfs::detail {

std::string fd_path(int fd) {
  return "/proc/self/fd/" + std::to_string(fd);
}

Result<UniqueFd> clone_tree(int dirfd, const std::string& path, bool recursive) {
  unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0);
  if (path.empty()) flags |= AT_EMPTY_PATH;
  int fd = ::open_tree(dirfd, path.c_str(), flags);
  if (fd < 0)
    return sys_error("open_tree " + (path.empty() ? fd_target(dirfd).value_or("") : path));
  return UniqueFd(fd);
}

Result<void> attach(int tree_fd, int target_fd) {
  if (::move_mount(tree_fd, "", target_fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
      0)
    return sys_error("move_mount");
  return {};
}

Result<void> set_attr(int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation) {
  if (set == 0 && clr == 0 && propagation == 0) return {};
  mount_attr attr{};
  attr.attr_set = set;
  attr.attr_clr = clr;
  attr.propagation = propagation;
  unsigned flags = AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0);
  if (::mount_setattr(fd, "", flags, &attr, sizeof attr) < 0) return sys_error("mount_setattr");
  return {};
}

Attr attr_from_flags(unsigned long set_flags, unsigned long clear_flags) {
  struct Pair {
    unsigned long ms;
    uint64_t attr;
  };
  static constexpr std::array<Pair, 5> kPlain{{{MS_RDONLY, MOUNT_ATTR_RDONLY},
                                               {MS_NOSUID, MOUNT_ATTR_NOSUID},
                                               {MS_NODEV, MOUNT_ATTR_NODEV},
                                               {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
                                               {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}}};
  Attr a;
  for (auto [ms, attr] : kPlain) {
    if (set_flags & ms) a.set |= attr;
    if (clear_flags & ms) a.clr |= attr;
  }
  if (set_flags & MS_NOSYMFOLLOW) a.set |= MOUNT_ATTR_NOSYMFOLLOW;
  if (clear_flags & MS_NOSYMFOLLOW) a.clr |= MOUNT_ATTR_NOSYMFOLLOW;
  // The atime modes are an enum: setting one means clearing the field first. Clearing one
  // ("atime", "norelatime", "nostrictatime") falls back to the kernel's default, relatime.
  constexpr unsigned long kAtime = MS_NOATIME | MS_RELATIME | MS_STRICTATIME;
  if (set_flags & kAtime) {
    a.clr |= MOUNT_ATTR__ATIME;
    if (set_flags & MS_STRICTATIME)
      a.set |= MOUNT_ATTR_STRICTATIME;
    else if (set_flags & MS_NOATIME)
      a.set |= MOUNT_ATTR_NOATIME;
    else
      a.set |= MOUNT_ATTR_RELATIME;
  } else if (clear_flags & kAtime) {
    a.clr |= MOUNT_ATTR__ATIME;
  }
  return a;
}

namespace {
// context="a,b" -> key "context", value a,b (fsconfig takes the bare value).
std::pair<std::string, std::string> split_label(std::string_view label) {
  auto eq = label.find('=');
  if (eq == std::string_view::npos) return {std::string(label), ""};
  std::string value(label.substr(eq + 1));
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
    value = value.substr(1, value.size() - 2);
  return {std::string(label.substr(0, eq)), value};
}
}  // namespace

Result<UniqueFd> new_readonly_tmpfs(std::string_view label) {
  UniqueFd fs(::fsopen("tmpfs", FSOPEN_CLOEXEC));
  if (!fs) return sys_error("fsopen tmpfs");
  if (!label.empty()) {
    auto [key, value] = split_label(label);
    if (::fsconfig(fs.get(), FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0) < 0)
      return sys_error("fsconfig tmpfs " + key);
  }
  if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0)
    return sys_error("fsconfig tmpfs create");
  int mnt = ::fsmount(fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY);
  if (mnt < 0) return sys_error("fsmount tmpfs");
  return UniqueFd(mnt);
}

Result<void> mount_fs_at(int target_fd, const std::string& source, const std::string& type,
                         unsigned long flags, const std::string& data) {
  std::string target = fd_path(target_fd);
  if (::mount(source.c_str(), target.c_str(), type.c_str(), flags,
              data.empty() ? nullptr : data.c_str()) < 0)
    return sys_error("mount " + type);
  return {};
}

Result<std::string> fd_target(int fd) {
  std::array<char, 4096> buf{};
  ssize_t n = ::readlink(fd_path(fd).c_str(), buf.data(), buf.size() - 1);
  if (n < 0) return sys_error("readlink " + fd_path(fd));
  return std::string(buf.data(), static_cast<size_t>(n));
}

}  // namespace keel::rootfs::detail
