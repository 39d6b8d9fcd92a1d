// Thin Result-returning wrappers over the mount syscalls used by the rootfs area: the new mount
// API (open_tree, move_mount, mount_setattr, fsopen) and mount(2) onto a /proc/self/fd path.
#pragma once

#include <sys/mount.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel::rootfs::detail {

// "/proc/self/fd/N": a mount(2) target that names exactly the opened inode.
std::string fd_path(int fd);

// open_tree(OPEN_TREE_CLONE): a detached copy of the mount at dirfd/path (path may be empty
// to clone the fd itself), recursive with `recursive`.
Result<UniqueFd> clone_tree(int dirfd, const std::string& path, bool recursive);

// move_mount of a detached tree onto the inode `target_fd` names.
Result<void> attach(int tree_fd, int target_fd);

// mount_setattr on the mount `fd` is the root of.
Result<void> set_attr(int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation = 0);

// Per-mount MS_* flags as MOUNT_ATTR_* bits (superblock flags have no mount attribute).
struct Attr {
  uint64_t set = 0, clr = 0;
};
Attr attr_from_flags(unsigned long set_flags, unsigned long clear_flags);

// A new, detached, read-only empty tmpfs (for masking directories), labelled when `label` is a
// formatted context="..." option.
Result<UniqueFd> new_readonly_tmpfs(std::string_view label);

// mount(2) of a filesystem onto the inode `target_fd` names, through /proc/self/fd.
Result<void> mount_fs_at(int target_fd, const std::string& source, const std::string& type,
                         unsigned long flags, const std::string& data);

// Reads the path the kernel records for an fd (for checks and messages, never to open).
Result<std::string> fd_target(int fd);

}  // namespace keel::rootfs::detail
