// Helpers for the rootfs tests: temp dirs, files, a child in its own mount namespace that
// reports back through a pipe, and a busybox rootfs.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "keel/linux/rootfs.hpp"

namespace keel::rootfs::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "keel-rootfs-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& rel) const { return path_ + "/" + rel; }

 private:
  std::string path_;
};

void write_file(const std::string& path, const std::string& content);
std::string read_file(const std::string& path);  // "<errno name>" on failure
void make_dirs(const std::string& path);
std::string errno_name(int err);

// A rootfs with /bin/busybox (static) and the applets sh, cat, ls, echo as symlinks.
void make_busybox_rootfs(const std::string& root);

struct ChildResult {
  int exit_code = -1;
  std::string output;
  std::map<std::string, std::string> values;  // "key=value" lines of output
};

// Runs `body` in a forked child that first unshares a mount namespace (plus `extra_flags`) and
// makes "/" rprivate. `body` appends lines to its string and returns the exit code. The child
// never returns into doctest.
ChildResult run_in_mount_ns(const std::function<int(std::string&)>& body, int extra_flags = 0);

// A plan with only the config and rootfs set.
keel::rootfs::Plan plan_for(const keel::spec::Config& config, const std::string& rootfs);

// Lines of the host's /proc/self/mountinfo that mention `needle`.
std::string host_mounts_mentioning(const std::string& needle);

}  // namespace keel::rootfs::test
