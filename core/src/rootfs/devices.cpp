// /dev inside the container: runc's default nodes, linux.devices, /dev/ptmx and the /dev
// symlinks, and /dev/console bound from a verified pty slave (CVE-2025-52565 class).
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <array>
#include <map>

#include "mount_api.hpp"
#include "rootfs_internal.hpp"

namespace keel::rootfs::detail {
namespace {

constexpr long kDevptsSuperMagic = 0x1cd1;
constexpr unsigned kPtySlaveMajorFirst = 136, kPtySlaveMajorLast = 143;

struct Node {
  std::string path;
  mode_t type;  // S_IFCHR, S_IFBLK, S_IFIFO
  unsigned major, minor;
  mode_t mode;
  uid_t uid;
  gid_t gid;
};

// runc's AllowedDevices that have a path: created unless linux.devices names the same path.
const std::array<Node, 6> kDefaultNodes{{{"/dev/null", S_IFCHR, 1, 3, 0666, 0, 0},
                                         {"/dev/random", S_IFCHR, 1, 8, 0666, 0, 0},
                                         {"/dev/full", S_IFCHR, 1, 7, 0666, 0, 0},
                                         {"/dev/tty", S_IFCHR, 5, 0, 0666, 0, 0},
                                         {"/dev/zero", S_IFCHR, 1, 5, 0666, 0, 0},
                                         {"/dev/urandom", S_IFCHR, 1, 9, 0666, 0, 0}}};

Result<Node> node_from_spec(const spec::Device& d) {
  Node n{d.path,
         0,
         static_cast<unsigned>(d.major),
         static_cast<unsigned>(d.minor),
         static_cast<mode_t>(d.file_mode.value_or(0666) & 07777),
         d.uid.value_or(0),
         d.gid.value_or(0)};
  if (d.type == "c" || d.type == "u")
    n.type = S_IFCHR;
  else if (d.type == "b")
    n.type = S_IFBLK;
  else if (d.type == "p")
    n.type = S_IFIFO;
  else
    return fail("invalid device type \"" + d.type + "\" for " + d.path);
  return n;
}

// Without the right to mknod (a user namespace), the host's node is bound onto an empty file.
Result<void> bind_host_node(int dir_fd, const std::string& name, const Node& n) {
  auto tree = clone_tree(AT_FDCWD, n.path, false);
  if (!tree) return std::unexpected(tree.error());
  struct stat st {};
  if (::fstat(tree->get(), &st) < 0) return sys_error("fstat " + n.path);
  if ((st.st_mode & S_IFMT) != n.type ||
      (n.type != S_IFIFO && st.st_rdev != makedev(n.major, n.minor)))
    return fail("host " + n.path + " is not the expected device", ENODEV);
  // O_EXCL: an existing node is never opened (opening some devices has side effects).
  int fd =
      ::openat(dir_fd, name.c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0000);
  if (fd < 0 && errno != EEXIST) return sys_error("create " + n.path);
  UniqueFd created(fd);
  UniqueFd target(::openat(dir_fd, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
  if (!target) return sys_error("open " + n.path);
  return attach(tree->get(), target.get());
}

// Directories under /dev, each resolved in the root once for all the nodes and links made in it.
class DevDirs {
 public:
  explicit DevDirs(int root_fd) : root_fd_(root_fd) {}
  Result<int> get(const std::string& dir) {
    if (auto it = open_.find(dir); it != open_.end()) return it->second.get();
    auto fd = open_in_root(root_fd_, dir, true, false);
    if (!fd) return std::unexpected(fd.error());
    return open_.emplace(dir, std::move(*fd)).first->second.get();
  }

 private:
  int root_fd_;
  std::map<std::string, UniqueFd> open_;
};

Result<void> create_node(const Context& c, DevDirs& dirs, const Node& n) {
  std::string path = clean_path(n.path);
  if (!path.starts_with("/dev/")) return fail("device " + n.path + " is not under /dev");
  auto slash = path.rfind('/');
  std::string name = path.substr(slash + 1);
  auto dir = dirs.get(path.substr(0, slash));
  if (!dir) return std::unexpected(dir.error());
  if (c.plan.in_user_namespace) return bind_host_node(*dir, name, n);
  if (::mknodat(*dir, name.c_str(), n.type | n.mode, makedev(n.major, n.minor)) < 0) {
    if (errno == EPERM) return bind_host_node(*dir, name, n);
    if (errno != EEXIST) return sys_error("mknod " + n.path);
    struct stat st {};
    if (::fstatat(*dir, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) < 0)
      return sys_error("stat " + n.path);
    if (S_ISLNK(st.st_mode)) return fail("device " + n.path + " is a symlink", ELOOP);
    return {};  // an existing node is kept, as runc does
  }
  if (::fchownat(*dir, name.c_str(), n.uid, n.gid, AT_SYMLINK_NOFOLLOW) < 0)
    return sys_error("chown " + n.path);
  return {};
}

Result<void> create_nodes(const Context& c, DevDirs& dirs) {
  std::vector<Node> nodes;
  const auto* linux = c.plan.config->linux ? &*c.plan.config->linux : nullptr;
  for (const auto& d : kDefaultNodes) {
    bool overridden = false;
    if (linux)
      for (const auto& s : linux->devices) overridden = overridden || s.path == d.path;
    if (!overridden) nodes.push_back(d);
  }
  if (linux)
    for (const auto& s : linux->devices) {
      auto n = node_from_spec(s);
      if (!n) return std::unexpected(n.error());
      nodes.push_back(*n);
    }
  mode_t old = ::umask(0);
  for (const auto& n : nodes) {
    if (auto r = create_node(c, dirs, n); !r) {
      ::umask(old);
      return r;
    }
  }
  ::umask(old);
  return {};
}

Result<void> dev_links(DevDirs& dirs) {
  auto dev = dirs.get("/dev");
  if (!dev) return std::unexpected(dev.error());
  // /dev/ptmx must be the container's devpts one, whatever the image put there.
  if (::unlinkat(*dev, "ptmx", 0) < 0 && errno != ENOENT) return sys_error("remove /dev/ptmx");
  std::vector<std::pair<const char*, const char*>> links{{"pts/ptmx", "ptmx"},
                                                         {"/proc/self/fd", "fd"},
                                                         {"/proc/self/fd/0", "stdin"},
                                                         {"/proc/self/fd/1", "stdout"},
                                                         {"/proc/self/fd/2", "stderr"}};
  if (::access("/proc/kcore", F_OK) == 0) links.emplace_back("/proc/kcore", "core");
  for (auto [target, name] : links) {
    if (::symlinkat(target, *dev, name) < 0 && errno != EEXIST)
      return sys_error(std::string("symlink /dev/") + name);
  }
  return {};
}

}  // namespace

bool needs_dev_setup(const spec::Config& config) {
  for (const auto& m : config.mounts) {
    bool bind = m.type == "bind" || parse_mount_options(m.options).bind;
    if (bind && clean_path(m.destination) == "/dev") return false;
  }
  return true;
}

Result<void> setup_dev(const Context& c) {
  DevDirs dirs(c.root_fd);
  if (auto r = create_nodes(c, dirs); !r)
    return std::unexpected(r.error().context("creating device nodes"));
  if (auto r = dev_links(dirs); !r)
    return std::unexpected(r.error().context("setting up /dev symlinks"));
  return {};
}

Result<UniqueFd> verified_dev_null(int root_fd) {
  auto fd = openat2_in_root(root_fd, "dev/null", O_PATH | O_NOFOLLOW, RESOLVE_NO_SYMLINKS);
  if (!fd) return std::unexpected(fd.error());
  struct stat st {};
  if (::fstat(fd->get(), &st) < 0) return sys_error("fstat /dev/null");
  if (!S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
    return fail("/dev/null is not the null device (1:3)", EPERM);
  return fd;
}

Result<void> bind_console(int root_fd, const std::string& slave) {
  auto source = open_in_root(root_fd, slave, false, false);
  if (!source) return std::unexpected(source.error().context("opening console " + slave));
  struct stat st {};
  struct statfs sfs {};
  if (::fstat(source->get(), &st) < 0 || ::fstatfs(source->get(), &sfs) < 0)
    return sys_error("stat console " + slave);
  if (!S_ISCHR(st.st_mode) || major(st.st_rdev) < kPtySlaveMajorFirst ||
      major(st.st_rdev) > kPtySlaveMajorLast || sfs.f_type != kDevptsSuperMagic)
    return fail("console " + slave + " is not a pty slave on devpts", EPERM);
  auto tree = clone_tree(source->get(), "", false);
  if (!tree) return std::unexpected(tree.error());
  mode_t old = ::umask(0);
  auto target = open_in_root(root_fd, "/dev/console", true, true);
  ::umask(old);
  if (!target) return std::unexpected(target.error());
  struct stat tst {};
  if (::fstat(target->get(), &tst) < 0) return sys_error("fstat /dev/console");
  if (S_ISDIR(tst.st_mode)) return fail("/dev/console is a directory", EISDIR);
  return attach(tree->get(), target->get());
}

}  // namespace keel::rootfs::detail
