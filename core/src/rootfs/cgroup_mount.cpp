// Mounts of type "cgroup". On a cgroup v1 or hybrid host, runc's emulation: a tmpfs at the
// destination holding, per hierarchy, a bind of the container's own cgroup directory (so the
// container sees only its cgroup), plus symlinks for co-mounted controllers ("cpu" ->
// "cpu,cpuacct"). On a pure v2 host: a new cgroup2 in the container's cgroup namespace, or a bind
// of the container's cgroup directory.
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <map>
#include <set>

#include "mount_api.hpp"
#include "mountinfo.hpp"
#include "rootfs_internal.hpp"

namespace keel::rootfs::detail {
namespace {

constexpr long kCgroup2SuperMagic = 0x63677270;

bool pure_cgroup_v2() {
  struct statfs st {};
  return ::statfs("/sys/fs/cgroup", &st) == 0 && st.f_type == kCgroup2SuperMagic;
}

// The name runc gives a hierarchy inside the container: the base name of its host mount point.
// Empty for a dir on the cgroup2 hierarchy of a hybrid host: runc 1.1 does not show it inside.
std::string hierarchy_name(const std::vector<MountEntry>& mounts, const std::string& key,
                           const std::string& dir) {
  const MountEntry* best = nullptr;
  for (const auto& m : mounts) {
    if (m.fs_type != "cgroup" && m.fs_type != "cgroup2") continue;
    bool under = dir == m.mount_point ||
                 (dir.starts_with(m.mount_point) && dir.size() > m.mount_point.size() &&
                  dir[m.mount_point.size()] == '/');
    if (under && (!best || m.mount_point.size() > best->mount_point.size())) best = &m;
  }
  if (best && best->fs_type == "cgroup2") return "";
  if (best) return best->mount_point.substr(best->mount_point.rfind('/') + 1);
  return key.starts_with("name=") ? key.substr(5) : key;
}

Result<void> bind_cgroup_dir(const Context& c, const std::string& dir, const std::string& dest,
                             const MountOptions& o) {
  auto tree = clone_tree(AT_FDCWD, dir, true);
  if (!tree) return std::unexpected(tree.error());
  auto target = open_in_root(c.root_fd, dest, true, false);
  if (!target) return std::unexpected(target.error());
  Attr a = attr_from_flags(o.flags, o.clear);
  if (auto r = set_attr(tree->get(), false, a.set, a.clr); !r) return r;
  if (auto r = set_attr(tree->get(), true, o.attr_set, o.attr_clr); !r) return r;
  if (auto r = attach(tree->get(), target->get()); !r) return r;
  if (o.propagation)
    return set_attr(tree->get(), (o.propagation & MS_REC) != 0, 0, 0, o.propagation & ~MS_REC);
  return {};
}

Result<void> mount_cgroup_v1(const Context& c, const spec::Mount& m, const MountOptions& o) {
  spec::Mount tmpfs{
      m.destination, "tmpfs", "tmpfs", {"nosuid", "nodev", "noexec", "mode=755"}, {}, {}};
  MountOptions tmpfs_options = parse_mount_options(tmpfs.options);
  tmpfs_options.propagation = o.propagation;
  if (auto r = mount_filesystem(c, tmpfs, tmpfs_options); !r) return r;

  auto mounts = read_mountinfo();
  if (!mounts) return std::unexpected(mounts.error());
  std::set<std::string> done;
  for (const auto& [key, dir] : c.plan.cgroup_paths) {
    std::string name = hierarchy_name(*mounts, key, dir);
    if (name.empty() || !done.insert(name).second) continue;
    if (auto r = bind_cgroup_dir(c, dir, m.destination + "/" + name, o); !r)
      return std::unexpected(r.error().context("binding " + dir));
  }
  auto parent = open_in_root(c.root_fd, m.destination, false, false);
  if (!parent) return std::unexpected(parent.error());
  for (const auto& name : done) {
    if (name.find(',') == std::string::npos) continue;
    size_t start = 0;
    while (start <= name.size()) {
      size_t comma = name.find(',', start);
      if (comma == std::string::npos) comma = name.size();
      std::string part = name.substr(start, comma - start);
      if (!part.empty() && ::symlinkat(name.c_str(), parent->get(), part.c_str()) < 0 &&
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
    if (r || (r.error().code != EPERM && r.error().code != EBUSY)) return r;
  }
  std::string dir;
  if (auto it = c.plan.cgroup_paths.find("unified"); it != c.plan.cgroup_paths.end())
    dir = it->second;
  else if (c.plan.cgroup_paths.size() == 1)
    dir = c.plan.cgroup_paths.begin()->second;
  if (dir.empty()) return fail("no cgroup directory to bind for a cgroup v2 host", ENOENT);
  return bind_cgroup_dir(c, dir, m.destination, o);
}

}  // namespace

Result<void> mount_cgroup(const Context& c, const spec::Mount& m, const MountOptions& o) {
  return pure_cgroup_v2() ? mount_cgroup_v2(c, m, o) : mount_cgroup_v1(c, m, o);
}

}  // namespace keel::rootfs::detail
