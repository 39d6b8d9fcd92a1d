// resolve_executable against a busybox rootfs: runc 1.1's exact messages (Docker and Podman map
// them to exit codes 127/126), and no symlink leading out of the rootfs.
#include "keel/linux/exec_lookup.hpp"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "support.hpp"

using keel::process::resolve_executable;
using keel::test::BusyboxRootfs;

namespace {

keel::spec::Process proc(std::vector<std::string> args,
                         std::vector<std::string> env = {"PATH=/usr/bin:/bin"},
                         std::string cwd = "/") {
  keel::spec::Process p;
  p.args = std::move(args);
  p.env = std::move(env);
  p.cwd = std::move(cwd);
  return p;
}

std::string error_of(const keel::Result<std::string>& r) {
  REQUIRE_FALSE(r.has_value());
  return r.error().message;
}

}  // namespace

TEST_CASE("a bare name is found through the PATH of process.env") {
  BusyboxRootfs fs;
  auto r = resolve_executable(fs.root, proc({"sh", "-c", "true"}));
  REQUIRE(r.has_value());
  CHECK(*r == "/bin/sh");
}

TEST_CASE("the last PATH in process.env wins, as in the container's environment") {
  BusyboxRootfs fs;
  auto r = resolve_executable(fs.root, proc({"busybox"}, {"PATH=/nowhere", "PATH=/bin"}));
  REQUIRE(r.has_value());
  CHECK(*r == "/bin/busybox");
}

TEST_CASE("a bare name missing from PATH fails with runc's not-found message") {
  BusyboxRootfs fs;
  auto r = resolve_executable(fs.root, proc({"foo"}));
  CHECK(error_of(r) == "exec: \"foo\": executable file not found in $PATH");
  CHECK(r.error().code == ENOENT);
}

TEST_CASE("without PATH in process.env a bare name is not found, like runc 1.1") {
  BusyboxRootfs fs;
  auto r = resolve_executable(fs.root, proc({"true"}, {"TERM=xterm"}));
  CHECK(error_of(r) == "exec: \"true\": executable file not found in $PATH");
}

TEST_CASE("a PATH entry relative to the cwd is refused as Go's LookPath does") {
  BusyboxRootfs fs;
  auto r = resolve_executable(fs.root, proc({"sh"}, {"PATH=:/x"}, "/bin"));
  CHECK(error_of(r) == "exec: \"sh\": cannot run executable found relative to current directory");
}

TEST_CASE("an absolute args[0] is checked as is") {
  BusyboxRootfs fs;
  auto r = resolve_executable(fs.root, proc({"/bin/true"}));
  REQUIRE(r.has_value());
  CHECK(*r == "/bin/true");
}

TEST_CASE("a relative args[0] with a slash is taken from process.cwd") {
  BusyboxRootfs fs;
  auto r = resolve_executable(fs.root, proc({"./busybox"}, {}, "/bin"));
  REQUIRE(r.has_value());
  CHECK(*r == "/bin/./busybox");
  auto from_root = resolve_executable(fs.root, proc({"bin/true"}, {}, "/"));
  REQUIRE(from_root.has_value());
  CHECK(*from_root == "/bin/true");
}

TEST_CASE("a missing path fails with runc's stat message") {
  BusyboxRootfs fs;
  CHECK(error_of(resolve_executable(fs.root, proc({"/nope"}))) ==
        "exec: \"/nope\": stat /nope: no such file or directory");
  CHECK(error_of(resolve_executable(fs.root, proc({"bin/nope"}))) ==
        "exec: \"bin/nope\": stat bin/nope: no such file or directory");
  CHECK(error_of(resolve_executable(fs.root, proc({"/etc/data/x"}))) ==
        "exec: \"/etc/data/x\": stat /etc/data/x: not a directory");
}

TEST_CASE("a file without exec bit or a directory fails with permission denied") {
  BusyboxRootfs fs;
  auto r = resolve_executable(fs.root, proc({"/etc/data"}));
  CHECK(error_of(r) == "exec: \"/etc/data\": permission denied");
  CHECK(r.error().code == EACCES);
  CHECK(error_of(resolve_executable(fs.root, proc({"/bin"}))) ==
        "exec: \"/bin\": permission denied");
}

TEST_CASE("a symlink pointing out of the rootfs is resolved inside it, never on the host") {
  BusyboxRootfs fs;
  // Both targets exist on the host (this test runs there) but not in the rootfs.
  REQUIRE(access("/usr/bin/env", X_OK) == 0);
  std::filesystem::create_symlink("/usr/bin/env", fs.root + "/bin/abs-escape");
  std::filesystem::create_symlink("../../../../../../../../usr/bin/env",
                                  fs.root + "/bin/rel-escape");
  CHECK(error_of(resolve_executable(fs.root, proc({"/bin/abs-escape"}))) ==
        "exec: \"/bin/abs-escape\": stat /bin/abs-escape: no such file or directory");
  CHECK(error_of(resolve_executable(fs.root, proc({"rel-escape"}))) ==
        "exec: \"rel-escape\": executable file not found in $PATH");
  // The same link pointing at the rootfs' own busybox works.
  std::filesystem::create_symlink("/bin/busybox", fs.root + "/bin/inside");
  auto ok = resolve_executable(fs.root, proc({"inside"}));
  REQUIRE(ok.has_value());
  CHECK(*ok == "/bin/inside");
}

TEST_CASE("empty args are refused") {
  BusyboxRootfs fs;
  CHECK(error_of(resolve_executable(fs.root, proc({}))) == "args must not be empty");
}
