// maskedPaths and readonlyPaths, after pivot. Each path is opened in the root first and
// everything after works on that fd; /dev/null is checked to be the real 1:3 device before it
// is bound anywhere (CVE-2025-31133: a /dev/null swapped for a symlink to a writable file).
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "mount_api.hpp"
#include "rootfs_internal.hpp"
#include "rootfs_steps.hpp"

namespace keel::rootfs::detail {

Result<void> make_readonly_path(int root_fd, const std::string& path) {
  auto target = open_in_root(root_fd, path, false, false);
  if (!target) {
    if (target.error().code == ENOENT) return {};
    return std::unexpected(target.error().context("readonly path " + path));
  }
  auto tree = clone_tree(target->get(), "", true);
  if (!tree) return std::unexpected(tree.error().context("readonly path " + path));
  constexpr uint64_t kAttrs =
      MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;
  if (auto r = set_attr(tree->get(), true, kAttrs, 0); !r)
    return std::unexpected(r.error().context("readonly path " + path));
  if (auto r = attach(tree->get(), target->get()); !r)
    return std::unexpected(r.error().context("readonly path " + path));
  return {};
}

Result<void> mask_path(int root_fd, const std::string& path, const std::string& label,
                       UniqueFd& dev_null) {
  auto target = open_in_root(root_fd, path, false, false);
  if (!target) {
    if (target.error().code == ENOENT) return {};
    return std::unexpected(target.error().context("masking " + path));
  }
  struct stat st {};
  if (::fstat(target->get(), &st) < 0) return sys_error("masking " + path + ": fstat");
  Result<UniqueFd> cover;
  if (S_ISDIR(st.st_mode)) {
    cover = new_readonly_tmpfs(label);
  } else {
    if (!dev_null) {
      auto null = verified_dev_null(root_fd);
      if (!null) return std::unexpected(null.error().context("masking " + path));
      dev_null = std::move(*null);
    }
    cover = clone_tree(dev_null.get(), "", false);
  }
  if (!cover) return std::unexpected(cover.error().context("masking " + path));
  if (auto r = attach(cover->get(), target->get()); !r)
    return std::unexpected(r.error().context("masking " + path));
  return {};
}

}  // namespace keel::rootfs::detail
