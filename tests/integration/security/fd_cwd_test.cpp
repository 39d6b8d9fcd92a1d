// CVE-2024-21626 class: a host directory fd leaked into the init lets process.cwd of
// /proc/self/fd/N (or a process walking /proc/self/fd) reach the host filesystem. Every
// such cwd must fail or stay inside the container, and only stdio is open in the container.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace keel::test;

TEST_CASE("CVE-2024-21626: process.cwd /proc/self/fd/N fails or stays inside the container") {
  for (int n = 3; n <= 10; ++n) {
    CAPTURE(n);
    Bundle b;
    b.set("/process/cwd", "\"/proc/self/fd/" + std::to_string(n) + "\"");
    // The host's / has /work; the rootfs has no such dir. Climbing from an escaped cwd reaches
    // the host's /, climbing from inside stops at the container's /.
    b.set_command("ls ../../../../../../../../../../ | grep -qx work && echo ESCAPED; echo ran");
    auto r = b.run({}, with_timeout(20s));
    CHECK(r.out.find("ESCAPED") == std::string::npos);
    if (r.exit_code != 0) CHECK(r.err.find("cwd") != std::string::npos);
  }
}

TEST_CASE("CVE-2024-21626: the container sees only fds 0-2, also with --preserve-fds=0") {
  for (bool preserve : {false, true}) {
    CAPTURE(preserve);
    Bundle b;
    // ls is pid 1 itself (no shell holding pipes); it holds one more fd: the dir it lists.
    b.set_args({"ls", "/proc/self/fd"});
    std::vector<std::string> extra;
    if (preserve) extra = {"--preserve-fds=0"};
    auto r = b.run(extra);
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "0\n1\n2\n3\n");
  }
}

TEST_CASE("CVE-2024-21626: no fd of the container init points outside the container at start") {
  Bundle b;
  b.set_command("for f in /proc/1/fd/*; do readlink $f; done");
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  REQUIRE(b.start().exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  // stdio are the harness's temp files (host paths by design); nothing else may be open.
  auto out = c.read_out();
  int lines = 0;
  for (char ch : out) lines += ch == '\n';
  CHECK_MESSAGE(lines == 3, out);
}
