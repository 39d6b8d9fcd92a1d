// Shared pieces of the rootfs area: the state of one prepare() run and the steps it calls.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "keel/linux/rootfs.hpp"

namespace keel::rootfs::detail {

// openat2(root_fd, rel, flags | O_CLOEXEC, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS | extra).
Result<UniqueFd> openat2_in_root(int root_fd, const std::string& rel, uint64_t flags,
                                 uint64_t extra_resolve);
// open_in_root(..., create = true, ...) for a path the caller just saw missing (ENOENT): starts
// with creating it.
Result<UniqueFd> create_in_root(int root_fd, std::string_view path, bool as_file);
// "a//b/./c" -> {"a","b","c"}; ".." is kept (the kernel clamps it at the root).
std::vector<std::string> split_path(std::string_view path);
std::string join_path(const std::vector<std::string>& parts, size_t from, size_t to);
// Lexically clean absolute form: "/a/../b/" -> "/b" (used to compare spec paths like runc).
std::string clean_path(std::string_view path);

struct Context {
  const Plan& plan;
  int root_fd;            // O_PATH fd of the rootfs (after its bind onto itself)
  std::string root_path;  // what the kernel calls that directory (prefix of resolved targets)
};

// Path of an fd opened in the root, relative to the root ("/etc/hosts"); fails if it is outside.
Result<std::string> path_in_root(const Context& c, int fd);

Result<void> mount_spec(const Context& c, const spec::Mount& m);
// A filesystem (not a bind) onto its directory, flags given to mount(2). Returns the new mount's
// root directory (O_RDONLY).
Result<UniqueFd> mount_filesystem(const Context& c, const spec::Mount& m, const MountOptions& o);
Result<void> mount_cgroup(const Context& c, const spec::Mount& m, const MountOptions& o);
// /dev: default and spec devices, /dev/ptmx, the /dev symlinks, /dev/console.
bool needs_dev_setup(const spec::Config& config);
Result<void> setup_dev(const Context& c);
// Binds the pty slave at `slave` (a path in the root) onto /dev/console after checking it is one.
Result<void> bind_console(int root_fd, const std::string& slave);

// Opens "/dev/null" in the root and checks it really is the 1:3 char device.
Result<UniqueFd> verified_dev_null(int root_fd);

}  // namespace keel::rootfs::detail
