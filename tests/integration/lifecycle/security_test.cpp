// Regression checks for the runtime's part of the security classes in DESIGN.md section 6.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include "harness.hpp"

using namespace keel::test;

TEST_CASE("the container process inherits no fd beyond stdio (CVE-2024-21626 class)") {
  Bundle b;
  // ls itself holds one directory fd while listing.
  b.set_command("ls /proc/self/fd | wc -l");
  auto c = b.create();
  REQUIRE(c.exit_code == 0);
  REQUIRE(b.start().exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  CHECK(c.read_out() == "4\n");
}

TEST_CASE("exec.fifo is mode 0622 whatever the caller's umask") {
  Bundle b;
  REQUIRE(b.create().exit_code == 0);
  struct stat st;
  REQUIRE(::stat((b.state_root() + "/" + b.id() + "/exec.fifo").c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK((st.st_mode & 07777) == 0622);
}

TEST_CASE("a seccomp profile from the spec is enforced inside the container") {
  Bundle b;
  b.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW",
      "architectures":["SCMP_ARCH_X86_64"],
      "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]})");
  b.set_command("mkdir /tmp/x 2>/dev/null && echo made || echo refused");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "refused\n");
}

TEST_CASE("no inheritable capabilities unless the spec lists them (CVE-2022-29162)") {
  Bundle b;
  b.set_command("grep CapInh /proc/self/status");
  auto r = b.run();
  CHECK(r.out == "CapInh:\t0000000000000000\n");
}
