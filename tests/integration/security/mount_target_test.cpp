// Mount targets that a hostile rootfs turns into symlinks to host paths, before and during
// mounting (CVE-2021-30465 class), and rootfs /proc or /dev symlinked to the host. Every mount
// and every file keel creates must stay inside the rootfs: the host path never gains an entry
// or a mount.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "harness.hpp"
#include "security_util.hpp"

using namespace keel::test;
using namespace keel::test::security;
namespace fs = std::filesystem;

namespace {

// "../" enough times to climb out of any bundle path, then `host` (absolute).
std::string climbing(const std::string& host) {
  std::string up;
  for (int i = 0; i < 16; ++i) up += "../";
  return up + host.substr(1);
}

struct HostDir {
  std::string path;
  explicit HostDir(const std::string& name) : path(host_path(name)) {
    fs::create_directories(path);
  }
  ~HostDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

TEST_CASE(
    "a bind target symlinked to a host file lands inside the rootfs; the host file is "
    "untouched") {
  Bundle b;
  std::string host_file = host_path("hostname");
  write_file(host_file, "host-original\n");
  fs::create_directories(b.rootfs() + host_file.substr(0, host_file.rfind('/')));
  fs::remove(b.rootfs() + "/etc/hostname");
  fs::create_symlink(host_file, b.rootfs() + "/etc/hostname");
  std::string src = b.bind_file("/etc/hostname");
  write_file(src, "from-bundle\n");
  b.set_command("cat /etc/hostname " + host_file);
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  // Both names reach the bind inside the container: the symlink resolved in the rootfs.
  CHECK(r.out == "from-bundle\nfrom-bundle\n");
  CHECK(read_file(host_file) == "host-original\n");
  CHECK(host_mounts_mentioning(host_file).empty());
  fs::remove(host_file);
}

TEST_CASE(
    "a bind target whose parent is a relative symlink climbing to a host dir: the "
    "missing target is created inside the rootfs, never in the host dir") {
  HostDir host("climb");
  Bundle b;
  fs::create_symlink(climbing(host.path), b.rootfs() + "/mnt");
  std::string src = b.bind_file("/mnt/target");
  write_file(src, "x\n");
  b.set_command("cat /mnt/target");
  auto r = b.run();
  // Either refused or contained; never a new entry on the host.
  if (r.exit_code == 0) CHECK(r.out == "x\n");
  CHECK(dir_entries(host.path).empty());
  CHECK(host_mounts_mentioning(host.path).empty());
}

TEST_CASE(
    "race: a directory in the rootfs flipped with a symlink to a host dir while keel "
    "mounts on it many times; the host dir never receives a file or a mount") {
  HostDir host("race");
  Bundle b;
  std::string dir = b.rootfs() + "/mnt", alt = b.rootfs() + "/mnt-alt";
  fs::create_directories(dir);
  fs::create_symlink(climbing(host.path), alt);
  b.append("/mounts", R"({"destination":"/mnt/sub/deeper","type":"tmpfs","source":"tmpfs"})");
  std::string src = b.bind_file("/mnt/file");
  write_file(src, "x\n");
  b.set_command("true");

  pid_t flipper = ::fork();
  REQUIRE(flipper >= 0);
  if (flipper == 0) {
    for (;;) ::renameat2(AT_FDCWD, dir.c_str(), AT_FDCWD, alt.c_str(), RENAME_EXCHANGE);
  }
  int ok = 0, failed = 0;
  for (int i = 0; i < 40; ++i) {
    auto r = b.run({}, with_timeout(20s));
    (r.exit_code == 0 ? ok : failed)++;
    if (!dir_entries(host.path).empty() || !host_mounts_mentioning(host.path).empty()) break;
  }
  ::kill(flipper, SIGKILL);
  ::waitpid(flipper, nullptr, 0);
  MESSAGE("race runs: " << ok << " succeeded, " << failed << " refused");
  CHECK(dir_entries(host.path).empty());
  CHECK(host_mounts_mentioning(host.path).empty());
  CHECK(ok + failed == 40);
}

TEST_CASE("a rootfs whose /proc is a symlink to a host dir is refused") {
  HostDir host("proc");
  Bundle b;
  fs::remove(b.rootfs() + "/proc");
  fs::create_symlink(climbing(host.path), b.rootfs() + "/proc");
  auto r = b.run();
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("must be mounted on ordinary directory") != std::string::npos);
  CHECK(dir_entries(host.path).empty());
  CHECK(host_mounts_mentioning(host.path).empty());
}

TEST_CASE("a rootfs whose /dev is a symlink to a host dir: devices never land in the host dir") {
  for (bool absolute : {true, false}) {
    CAPTURE(absolute);
    HostDir host(absolute ? "dev-abs" : "dev-rel");
    Bundle b;
    fs::remove(b.rootfs() + "/dev");
    fs::create_symlink(absolute ? host.path : climbing(host.path), b.rootfs() + "/dev");
    b.set_command("ls /dev");
    auto r = b.run();
    INFO(r.err);
    // Contained: the /dev tmpfs and its nodes are where the container's /dev leads.
    if (r.exit_code == 0) CHECK(r.out.find("null\n") != std::string::npos);
    CHECK(dir_entries(host.path).empty());
    CHECK(host_mounts_mentioning(host.path).empty());
  }
}
