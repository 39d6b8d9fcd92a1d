// One spec mount onto its target inside the rootfs: binds through open_tree/move_mount, other
// filesystems through mount(2) on /proc/self/fd/<target>, never on a path that could be swapped.
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include "mount_api.hpp"
#include "rootfs_internal.hpp"
#include "tmpfs_copy_up.hpp"

namespace keel::rootfs::detail {
namespace {

constexpr long kProcSuperMagic = 0x9fa0;
constexpr unsigned long kNotFlags = MS_REMOUNT | MS_BIND | MS_REC;

std::string mount_label_data(const Context& c, std::string data) {
  if (c.plan.mount_label.empty()) return data;
  if (!data.empty()) data += ',';
  return data + c.plan.mount_label;
}

bool is_under(std::string_view path, std::string_view dir) {
  return path == dir ||
         (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

// runc's checkProcMount: nothing may be mounted inside /proc except a few files that lxcfs
// emulates, and only a procfs may be mounted on /proc itself (CVE-2019-16884 class).
Result<void> check_proc_target(const std::string& dest, int source_fd) {
  if (!is_under(dest, "/proc")) return {};
  if (dest == "/proc") {
    struct statfs st {};
    if (source_fd >= 0 && ::fstatfs(source_fd, &st) == 0 && st.f_type == kProcSuperMagic) return {};
    return fail("\"" + dest + "\" cannot be mounted because it is not of type proc");
  }
  static constexpr std::array<std::string_view, 10> kAllowed{
      "/proc/cpuinfo", "/proc/diskstats",
      "/proc/meminfo", "/proc/stat",
      "/proc/swaps",   "/proc/uptime",
      "/proc/loadavg", "/proc/slabinfo",
      "/proc/net/dev", "/proc/sys/kernel/ns_last_pid"};
  if (std::find(kAllowed.begin(), kAllowed.end(), dest) != kAllowed.end()) return {};
  return fail("\"" + dest + "\" cannot be mounted because it is inside /proc");
}

// Per-mount flags, recursive attributes and propagation on an attached or detached mount.
Result<void> apply_options(int mnt_fd, const MountOptions& o, bool flags_recursive) {
  Attr a = attr_from_flags(o.flags, o.clear);
  if (auto r = set_attr(mnt_fd, flags_recursive, a.set, a.clr); !r) return r;
  if (auto r = set_attr(mnt_fd, true, o.attr_set, o.attr_clr); !r) return r;
  return {};
}

Result<void> apply_propagation(int mnt_fd, unsigned long propagation) {
  if (propagation == 0) return {};
  return set_attr(mnt_fd, (propagation & MS_REC) != 0, 0, 0, propagation & ~MS_REC);
}

Result<void> mount_bind(const Context& c, const spec::Mount& m, const MountOptions& o) {
  auto tree = clone_tree(AT_FDCWD, m.source, o.recursive_bind);
  if (!tree) return std::unexpected(tree.error());
  struct stat st {};
  if (::fstat(tree->get(), &st) < 0) return sys_error("fstat " + m.source);
  auto target = open_in_root(c.root_fd, m.destination, true, !S_ISDIR(st.st_mode));
  if (!target) return std::unexpected(target.error());
  auto dest = path_in_root(c, target->get());
  if (!dest) return std::unexpected(dest.error());
  if (auto r = check_proc_target(*dest, tree->get()); !r) return r;
  // Flags apply to the top mount only (runc's remount semantics); r* options to all of them.
  if (auto r = apply_options(tree->get(), o, false); !r) return r;
  if (auto r = attach(tree->get(), target->get()); !r) return r;
  return apply_propagation(tree->get(), o.propagation);
}

// Without a private network namespace a new sysfs would show the host's network devices (and
// is refused in a user namespace): bind the host's /sys instead, as runc does.
Result<void> mount_host_sysfs(const Context& c, const spec::Mount& m, const MountOptions& o) {
  auto tree = clone_tree(AT_FDCWD, "/sys", true);
  if (!tree) return std::unexpected(tree.error());
  auto target = open_in_root(c.root_fd, m.destination, true, false);
  if (!target) return std::unexpected(target.error());
  // Recursive here: a read-only /sys must not leave the host's cgroup mounts below it writable.
  if (auto r = apply_options(tree->get(), o, true); !r) return r;
  if (auto r = attach(tree->get(), target->get()); !r) return r;
  return apply_propagation(tree->get(), o.propagation);
}

// The mount target of a filesystem, resolved once: whether it existed (tmpfs keeps its mode)
// comes with it. proc and sysfs go only on a real directory: a symlink there is refused, as runc
// does, so a rootfs cannot point /proc somewhere the runtime later writes to (CVE-2019-16884
// class); so their lookup does not follow a symlink in the last component.
struct FsTarget {
  UniqueFd fd;
  bool existed = false;
  mode_t mode = 0;
};

Result<FsTarget> filesystem_target(const Context& c, const spec::Mount& m, bool special) {
  auto parts = split_path(m.destination);
  FsTarget t;
  auto found = openat2_in_root(c.root_fd, join_path(parts, 0, parts.size()),
                               O_PATH | (special ? O_NOFOLLOW : 0), 0);
  if (found) {
    t.fd = std::move(*found);
    t.existed = true;
  } else if (found.error().code == ENOENT) {
    auto made = create_in_root(c.root_fd, m.destination, false);
    if (!made) return std::unexpected(made.error());
    t.fd = std::move(*made);
  } else {
    return std::unexpected(found.error().context("resolving " + m.destination));
  }
  struct stat st {};
  if (::fstat(t.fd.get(), &st) < 0) return sys_error("fstat " + m.destination);
  if (special && !S_ISDIR(st.st_mode))
    return fail("filesystem \"" + m.type + "\" must be mounted on ordinary directory", ENOTDIR);
  if (!S_ISDIR(st.st_mode)) return sys_error("mount target " + m.destination, ENOTDIR);
  t.mode = st.st_mode;
  return t;
}

}  // namespace

Result<UniqueFd> mount_filesystem(const Context& c, const spec::Mount& m, const MountOptions& o) {
  bool special = m.type == "proc" || m.type == "sysfs";
  auto resolved = filesystem_target(c, m, special);
  if (!resolved) return std::unexpected(resolved.error());
  const UniqueFd& target = resolved->fd;
  auto dest = path_in_root(c, target.get());
  if (!dest) return std::unexpected(dest.error());
  if (m.type != "proc") {
    if (auto r = check_proc_target(*dest, -1); !r) return std::unexpected(r.error());
  }
  // A read-only /dev is made so only after its devices exist (finish() does it, as runc).
  unsigned long flags = o.flags & ~kNotFlags;
  if (*dest == "/dev") flags &= ~MS_RDONLY;
  std::string data = special ? o.data : mount_label_data(c, o.data);
  std::string source = m.source.empty() ? m.type : m.source;

  UniqueFd below;  // the directory's own contents, for tmpcopyup
  if (o.copy_up && m.type == "tmpfs") {
    auto clone = clone_tree(target.get(), "", false);
    if (!clone) return std::unexpected(clone.error());
    below = std::move(*clone);
  }
  if (auto r = mount_fs_at(target.get(), source, m.type, flags, data); !r)
    return std::unexpected(r.error());
  auto mnt = openat2_in_root(c.root_fd, dest->substr(1).empty() ? "." : dest->substr(1),
                             O_RDONLY | O_DIRECTORY, RESOLVE_NO_SYMLINKS);
  if (!mnt) return std::unexpected(mnt.error());
  if (m.type == "tmpfs") {
    // Keep the directory's mode when the options do not set one (runc).
    if (resolved->existed && o.data.find("mode=") == std::string::npos &&
        ::fchmod(mnt->get(), resolved->mode & 07777) < 0)
      return sys_error("chmod " + *dest);
    if (below) {
      if (auto r = copy_tree(below.get(), mnt->get()); !r)
        return std::unexpected(r.error().context("tmpcopyup"));
    }
  }
  if (auto r = set_attr(mnt->get(), true, o.attr_set, o.attr_clr); !r)
    return std::unexpected(r.error());
  if (auto r = apply_propagation(mnt->get(), o.propagation); !r) return std::unexpected(r.error());
  return std::move(*mnt);
}

std::string clean_path(std::string_view path) {
  std::vector<std::string> out;
  for (auto& p : split_path(path)) {
    if (p == "..") {
      if (!out.empty()) out.pop_back();
    } else {
      out.push_back(p);
    }
  }
  return "/" + (out.empty() ? std::string() : join_path(out, 0, out.size()));
}

Result<std::string> path_in_root(const Context& c, int fd) {
  auto p = fd_target(fd);
  if (!p) return p;
  if (*p == c.root_path) return std::string("/");
  if (c.root_path == "/") return *p;
  if (!is_under(*p, c.root_path)) return fail("path " + *p + " is outside the rootfs", EXDEV);
  return p->substr(c.root_path.size());
}

Result<void> mount_spec(const Context& c, const spec::Mount& m) {
  MountOptions o = parse_mount_options(m.options);
  Result<void> r;
  if (o.idmap || !m.uid_mappings.empty() || !m.gid_mappings.empty()) {
    r = fail("idmapped mounts are not supported", ENOTSUP);
  } else if (o.bind || m.type == "bind") {
    r = mount_bind(c, m, o);
  } else if (m.type == "cgroup") {
    r = mount_cgroup(c, m, o);
  } else if (m.type == "sysfs" && !c.plan.private_network) {
    r = mount_host_sysfs(c, m, o);
  } else if (auto mounted = mount_filesystem(c, m, o); !mounted) {
    r = std::unexpected(mounted.error());
  }
  if (!r)
    return std::unexpected(
        r.error().context("mounting \"" + m.source + "\" to rootfs at \"" + m.destination + "\""));
  return {};
}

}  // namespace keel::rootfs::detail
