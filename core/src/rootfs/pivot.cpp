// Entering the rootfs: propagation of "/", the rootfs bound onto itself, pivot_root(".", ".")
// with the old root detached (runc's trick: no put_old directory needed), or MS_MOVE + chroot.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <array>
#include <climits>
#include <cstdlib>
#include <unordered_map>

#include "mountinfo.hpp"
#include "rootfs_internal.hpp"
#include "rootfs_steps.hpp"

namespace keel::rootfs::detail {
namespace {

bool is_under(const std::string& path, const std::string& dir) {
  return path == dir || (path.starts_with(dir) && (dir == "/" || path[dir.size()] == '/'));
}

// pivot_root refuses a new root whose parent mount is shared: make the mount holding the
// rootfs directory private (runc's rootfsParentMountPrivate), walking up to its mount point.
Result<void> make_parent_mount_private(const std::string& rootfs) {
  std::string dir = rootfs;
  for (;;) {
    if (::mount(nullptr, dir.c_str(), nullptr, MS_PRIVATE, nullptr) == 0) return {};
    if (errno != EINVAL || dir == "/")
      return sys_error("making the parent mount of " + rootfs + " private");
    auto slash = dir.rfind('/');
    dir = slash == 0 ? "/" : dir.substr(0, slash);
  }
}

// --no-pivot: the host's proc and sysfs mounts would stay reachable (and would let the
// container mount a new proc despite masks), so detach them first, as runc does.
Result<void> detach_host_proc_and_sys(const std::string& rootfs) {
  auto mounts = read_mountinfo();
  if (!mounts) return std::unexpected(mounts.error());
  for (auto it = mounts->rbegin(); it != mounts->rend(); ++it) {
    if (is_under(it->mount_point, rootfs)) continue;
    if (it->fs_type != "proc" && it->fs_type != "sysfs") continue;
    const char* p = it->mount_point.c_str();
    if (::mount(nullptr, p, nullptr, MS_SLAVE | MS_REC, nullptr) < 0) {
      if (errno == ENOENT) continue;
      return sys_error(std::string("making ") + p + " a slave");
    }
    if (::umount2(p, MNT_DETACH) < 0) {
      if (errno != EINVAL && errno != EPERM) return sys_error(std::string("unmounting ") + p);
      if (::mount("tmpfs", p, "tmpfs", 0, nullptr) < 0)
        return sys_error(std::string("hiding ") + p);
    }
  }
  return {};
}

Result<void> move_root(const std::string& rootfs) {
  // Compare mount points with the path the kernel reports, not a spelling with symlinks.
  std::array<char, 4096> real{};
  if (!::realpath(rootfs.c_str(), real.data())) return sys_error("resolving " + rootfs);
  if (auto r = detach_host_proc_and_sys(real.data()); !r) return r;
  if (::chdir(rootfs.c_str()) < 0) return sys_error("chdir " + rootfs);
  if (::mount(rootfs.c_str(), "/", nullptr, MS_MOVE, nullptr) < 0)
    return sys_error("moving the rootfs to /");
  if (::chroot(".") < 0) return sys_error("chroot");
  if (::chdir("/") < 0) return sys_error("chdir /");
  return {};
}

Result<void> pivot_root(const std::string& rootfs) {
  UniqueFd old_root(::open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!old_root) return sys_error("open /");
  UniqueFd new_root(::open(rootfs.c_str(), O_DIRECTORY | O_RDONLY | O_CLOEXEC));
  if (!new_root) return sys_error("open " + rootfs);
  if (::fchdir(new_root.get()) < 0) return sys_error("chdir " + rootfs);
  if (::syscall(SYS_pivot_root, ".", ".") < 0) return sys_error("pivot_root");
  // The old root is now stacked under the new one at "."; detach it without letting the
  // unmount propagate anywhere.
  if (::fchdir(old_root.get()) < 0) return sys_error("chdir to the old root");
  if (::mount(nullptr, ".", nullptr, MS_SLAVE | MS_REC, nullptr) < 0)
    return sys_error("making the old root a slave");
  if (::umount2(".", MNT_DETACH) < 0) return sys_error("unmounting the old root");
  if (::chdir("/") < 0) return sys_error("chdir /");
  return {};
}

// stdio that pointed to the host's /dev/null now points to the container's (runc).
Result<void> reopen_dev_null() {
  UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys_error("open /");
  auto null = openat2_in_root(root.get(), "dev/null", O_RDWR | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
  if (!null) return std::unexpected(null.error());
  struct stat null_st {};
  if (::fstat(null->get(), &null_st) < 0) return sys_error("fstat /dev/null");
  if (!S_ISCHR(null_st.st_mode) || null_st.st_rdev != makedev(1, 3))
    return fail("/dev/null is not the null device (1:3)", EPERM);
  for (int fd = 0; fd < 3; ++fd) {
    struct stat st {};
    if (::fstat(fd, &st) < 0) continue;
    if (S_ISCHR(st.st_mode) && st.st_rdev == null_st.st_rdev && st.st_ino != null_st.st_ino &&
        ::dup3(null->get(), fd, 0) < 0)
      return sys_error("reopening /dev/null");
  }
  return {};
}

}  // namespace

Result<void> prepare_root(const Plan& plan) {
  unsigned long flags = MS_SLAVE | MS_REC;
  const auto& linux = plan.config->linux;
  if (linux && !linux->rootfs_propagation.empty()) {
    auto p = root_propagation(linux->rootfs_propagation);
    if (!p) return std::unexpected(p.error());
    if (plan.no_pivot && (*p & MS_PRIVATE))
      return fail("rootfsPropagation of [r]private is not safe without pivot_root");
    flags = *p;
  }
  if (::mount(nullptr, "/", nullptr, flags, nullptr) < 0)
    return sys_error("setting the propagation of /");
  if (auto r = make_parent_mount_private(plan.rootfs); !r) return r;
  if (::mount(plan.rootfs.c_str(), plan.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) < 0)
    return sys_error("binding the rootfs " + plan.rootfs + " onto itself");
  return {};
}

Result<unsigned long> root_propagation(const std::string& name) {
  static const std::unordered_map<std::string, unsigned long> kTable{
      {"rprivate", MS_PRIVATE | MS_REC},       {"private", MS_PRIVATE},
      {"rslave", MS_SLAVE | MS_REC},           {"slave", MS_SLAVE},
      {"rshared", MS_SHARED | MS_REC},         {"shared", MS_SHARED},
      {"runbindable", MS_UNBINDABLE | MS_REC}, {"unbindable", MS_UNBINDABLE}};
  auto it = kTable.find(name);
  if (it == kTable.end()) return fail("rootfsPropagation=" + name + " is not supported");
  return it->second;
}

Result<void> enter_root(const Plan& plan, bool dev_was_set_up) {
  auto r = plan.no_pivot ? move_root(plan.rootfs) : pivot_root(plan.rootfs);
  if (!r) return std::unexpected(r.error().context("jailing process inside rootfs"));
  if (dev_was_set_up) {
    if (auto n = reopen_dev_null(); !n)
      return std::unexpected(n.error().context("reopening /dev/null inside container"));
  }
  return {};
}

}  // namespace keel::rootfs::detail
