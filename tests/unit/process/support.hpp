// Shared fixtures for the keel_process tests: a busybox rootfs in a temp dir and a forked child
// whose stdout/stderr come back to the test as text.
#pragma once

#include <functional>
#include <string>

namespace keel::test {

// A temp dir removed (recursively) on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// <dir>/rootfs: bin/busybox with sh/true/sleep/cat/grep links, etc/passwd (root and uid 1000
// "user" with home /home/user), an empty proc/, a non-executable etc/data file.
struct BusyboxRootfs {
  TempDir dir;
  std::string root;  // dir/rootfs
  BusyboxRootfs();
};

struct ChildResult {
  std::string output;  // the child's stdout and stderr together
  int exit_code = -1;  // -1 when killed by a signal
};

// Forks; the child gets stdin /dev/null and stdout+stderr on a pipe, runs fn, and exits with
// its return value (fn may also execve). The parent collects the output and reaps the child.
ChildResult run_child(const std::function<int()>& fn);

void write_file(const std::string& path, const std::string& text, int mode = 0644);
std::string read_file(const std::string& path);

// "Key:\tvalue" from /proc/self/status style text; "" when absent.
std::string field(const std::string& text, const std::string& key);

}  // namespace keel::test
