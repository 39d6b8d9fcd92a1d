// Mounts of type "cgroup". On a cgroup v1 or hybrid host, runc's emulation: a tmpfs at the
// destination holding, per hierarchy, a bind of the container's own cgroup directory (so the
// container sees only its cgroup), plus symlinks for co-mounted controllers ("cpu" ->
// "cpu,cpuacct"). On a pure v2 host: a new cgroup2 in the container's cgroup namespace, or a bind
// of the container's cgroup directory.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <map>
#include <set>

#include "mount_api.hpp"
#include "rootfs_internal.hpp"

namespace keel::rootfs::detail {
namespace {

constexpr long kCgroup2SuperMagic = 0x63677270;

bool pure_cgroup_v2() {
  struct statfs st {};
  return ::statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == kCgroup2SuperMagic;
}

bool is_mount_root(const std::string& path) {
  struct statx stx {};
  return ::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, 0, &stx) == 0 &&
         (stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
         (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT);
}

// The name runc gives a hierarchy inside the container: the base name of its host mount point.
// runc finds that in mountinfo; here it is the nearest ancestor of `dir` that is a mount root.
// In the usual /sys/fs/cgroup/<hierarchy>/... layout that is one statx of the top dir (a mount
// inside a hierarchy, on the way to the container's cgroup, is not looked for), not the kernel
// printing every mount of the namespace. Empty for a dir on the cgroup2 hierarchy of a hybrid
// host: runc 1.1 does not show it inside.
std::string hierarchy_name(const std::string& key, const std::string& dir) {
  // By file system, not by key: a hybrid host's plugin also lists the controllers cgroup2
  // serves (hugetlb here) under their own names.
  struct statfs fs {};
  if (key == "unified" || (::statfs(dir.c_str(), &fs) == 0 && fs.f_type == kCgroup2SuperMagic))
    return "";
  constexpr std::string_view kUsual = "/sys/fs/cgroup/";
  if (dir.starts_with(kUsual)) {
    std::string top = dir.substr(0, dir.find('/', kUsual.size()));
    if (is_mount_root(top)) return top.substr(kUsual.size());
  }
  for (std::string at = dir; at.size() > 1; at.resize(at.rfind('/')))
    if (is_mount_root(at)) return at.substr(at.rfind('/') + 1);
  return key.starts_with("name=") ? key.substr(5) : key;
}

Result<void> bind_cgroup_dir(const std::string& dir, int target_fd, const MountOptions& o) {
  auto tree = clone_tree(AT_FDCWD, dir, true);
  if (!tree) return std::unexpected(tree.error());
  Attr a = attr_from_flags(o.flags, o.clear);
  if (auto r = set_attr(tree->get(), false, a.set, a.clr); !r) return r;
  if (auto r = set_attr(tree->get(), true, o.attr_set, o.attr_clr); !r) return r;
  if (auto r = attach(tree->get(), target_fd); !r) return r;
  if (o.propagation)
    return set_attr(tree->get(), (o.propagation & MS_REC) != 0, 0, 0, o.propagation & ~MS_REC);
  return {};
}

// The per-hierarchy directories are made in the tmpfs this mount just created, below its fd:
// nothing else can have put a symlink there, so no lookup in the root is needed.
Result<UniqueFd> make_subdir(int dir_fd, const std::string& name) {
  if (::mkdirat(dir_fd, name.c_str(), 0755) < 0 && errno != EEXIST)
    return sys_error("mkdir " + name);
  UniqueFd fd(::openat(dir_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return sys_error("open " + name);
  return fd;
}

Result<void> mount_cgroup_v1(const Context& c, const spec::Mount& m, const MountOptions& o) {
  spec::Mount tmpfs{
      m.destination, "tmpfs", "tmpfs", {"nosuid", "nodev", "noexec", "mode=755"}, {}, {}};
  MountOptions tmpfs_options = parse_mount_options(tmpfs.options);
  tmpfs_options.propagation = o.propagation;
  auto top = mount_filesystem(c, tmpfs, tmpfs_options);
  if (!top) return std::unexpected(top.error());

  std::set<std::string> done;
  for (const auto& [key, dir] : c.plan.cgroup_paths) {
    std::string name = hierarchy_name(key, dir);
    if (name.empty() || !done.insert(name).second) continue;
    auto target = make_subdir(top->get(), name);
    if (!target) return std::unexpected(target.error());
    if (auto r = bind_cgroup_dir(dir, target->get(), o); !r)
      return std::unexpected(r.error().context("binding " + dir));
  }
  for (const auto& name : done) {
    if (name.find(',') == std::string::npos) continue;
    size_t start = 0;
    while (start <= name.size()) {
      size_t comma = name.find(',', start);
      if (comma == std::string::npos) comma = name.size();
      std::string part = name.substr(start, comma - start);
      if (!part.empty() && ::symlinkat(name.c_str(), top->get(), part.c_str()) < 0 &&
          errno != EEXIST)
        return sys_error("symlink " + part + " -> " + name);
      start = comma + 1;
    }
  }
  // "ro" applies to the per-hierarchy binds only: runc leaves the tmpfs itself writable.
  return {};
}

Result<void> mount_cgroup_v2(const Context& c, const spec::Mount& m, const MountOptions& o) {
  if (c.plan.cgroup_namespace) {
    spec::Mount fs{m.destination, "cgroup2", "cgroup", m.options, {}, {}};
    auto r = mount_filesystem(c, fs, o);
    if (r) return {};
    if (r.error().code != EPERM && r.error().code != EBUSY) return std::unexpected(r.error());
  }
  std::string dir;
  if (auto it = c.plan.cgroup_paths.find("unified"); it != c.plan.cgroup_paths.end())
    dir = it->second;
  else if (c.plan.cgroup_paths.size() == 1)
    dir = c.plan.cgroup_paths.begin()->second;
  if (dir.empty()) return fail("no cgroup directory to bind for a cgroup v2 host", ENOENT);
  auto target = open_in_root(c.root_fd, m.destination, true, false);
  if (!target) return std::unexpected(target.error());
  return bind_cgroup_dir(dir, target->get(), o);
}

}  // namespace

Result<void> mount_cgroup(const Context& c, const spec::Mount& m, const MountOptions& o) {
  return pure_cgroup_v2() ? mount_cgroup_v2(c, m, o) : mount_cgroup_v1(c, m, o);
}

}  // namespace keel::rootfs::detail
