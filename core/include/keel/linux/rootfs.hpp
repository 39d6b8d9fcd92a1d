// The container's filesystem: spec mounts, /dev, masked and read-only paths, pivot_root.
// Called by the container's init inside its new mount namespace; every target is resolved inside
// the rootfs (openat2 RESOLVE_IN_ROOT) and mounted by fd, never by a path that could be swapped.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/spec/model.hpp"

namespace keel::rootfs {

struct Plan {
  const spec::Config* config = nullptr;
  std::string rootfs;              // absolute host path of the rootfs
  bool no_pivot = false;           // --no-pivot: MS_MOVE + chroot instead of pivot_root
  bool in_user_namespace = false;  // devices are bind-mounted from the host instead of mknod
  bool private_network = false;    // sysfs: a new sysfs only with a private net ns, else rbind /sys
  // For mounts of type "cgroup": any key (a controller name) -> the host directory of the
  // container's cgroup in that hierarchy, e.g. "memory" -> "/sys/fs/cgroup/memory/keel/c1",
  // "unified" -> "/sys/fs/cgroup/unified/keel/c1". Each directory is bound read-only (with the
  // mount's options) at <destination>/<name of the host hierarchy mount>, e.g. "cpu,cpuacct",
  // with per-controller symlinks for co-mounted hierarchies. On a pure cgroup v2 host the value
  // of the only entry (or "unified") is bound when cgroup2 cannot be mounted.
  std::map<std::string, std::string> cgroup_paths;
  bool cgroup_namespace = false;  // v2 hosts: mount a new cgroup2 instead of binding
  // A pty slave to bind at /dev/console: a path inside the container ("/dev/pts/0") or a host
  // path under `rootfs`; it must be a pts device. Empty: no /dev/console.
  std::string console_path;
  std::string mount_label;  // formatted mount option (context="..."), or empty
};

// Before pivot: makes "/" rslave (or linux.rootfsPropagation), binds the rootfs onto itself,
// mounts every spec mount in order, creates the default devices, /dev symlinks, linux.devices
// (only when /dev is not a bind mount, as runc) and binds /dev/console.
// Bind sources that are relative resolve against the current directory (the bundle).
Result<void> prepare(const Plan&);

// pivot_root(".", ".") + detach of the old root (or MS_MOVE + chroot with no_pivot), chdir("/"),
// then stdio fds that pointed to the host's /dev/null are reopened on the container's.
Result<void> pivot(const Plan&);

// After pivot (runc's order: pivot, open /dev/ptmx, this, finish): binds the pty slave
// `slave_path` ("/dev/pts/3") onto /dev/console, refusing anything that is not a devpts pty slave.
Result<void> mount_console(std::string_view slave_path);

// After pivot: readonlyPaths, maskedPaths, a read-only /dev when its spec mount says "ro",
// read-only root, linux.rootfsPropagation applied to "/", umask 0022 (as runc).
Result<void> finish(const Plan&);

// Mount options of a spec mount, split the way runc does. Flags are MS_* values.
struct MountOptions {
  unsigned long flags = 0;  // per-mount and superblock MS_* flags to set
  unsigned long clear = 0;  // MS_* flags the options explicitly clear ("rw", "suid", ...)
  unsigned long propagation =
      0;  // MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE (| MS_REC); last wins
  uint64_t attr_set = 0, attr_clr = 0;  // MOUNT_ATTR_* for the recursive r* options (AT_RECURSIVE)
  bool bind = false;                    // "bind" or "rbind"
  bool recursive_bind = false;          // "rbind"
  bool copy_up = false;                 // "tmpcopyup": a tmpfs starts with the target's contents
  bool idmap = false;                   // "idmap" / "ridmap" (idmapped mounts)
  std::string data;                     // unknown options, comma-joined, for the filesystem
};
MountOptions parse_mount_options(const std::vector<std::string>& options);

// Opens `path` (absolute or relative, interpreted inside the root) below `root_fd` with
// openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) as an O_PATH fd. With `create`, missing
// components are made as directories (0755), or the last as an empty file (0644) with `as_file`;
// dangling symlinks are followed inside the root, so nothing is ever created outside it.
Result<UniqueFd> open_in_root(int root_fd, std::string_view path, bool create, bool as_file);

}  // namespace keel::rootfs
