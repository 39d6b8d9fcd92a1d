// CVE-2022-29162 class: inheritable capabilities survive execve and become effective for a
// file with inheritable file caps. With none in the spec, none may be set, at any exec depth.
#include <doctest/doctest.h>

#include "harness.hpp"

using namespace keel::test;

TEST_CASE("CVE-2022-29162: CapInh and CapAmb are 0 with a full permitted set and no inheritable") {
  Bundle b;
  const char* all = R"(["CAP_CHOWN","CAP_DAC_OVERRIDE","CAP_FOWNER","CAP_SETUID","CAP_SETGID",
      "CAP_NET_RAW","CAP_SYS_CHROOT","CAP_MKNOD","CAP_KILL","CAP_SYS_ADMIN"])";
  for (const char* set : {"bounding", "effective", "permitted"})
    b.set(std::string("/process/capabilities/") + set, all);
  b.remove("/process/capabilities/inheritable");
  b.remove("/process/capabilities/ambient");
  b.set("/process/noNewPrivileges", "false");
  // The process itself, then a child exec'd through a second (setuid-less) binary.
  b.set_command(
      "grep -E 'CapInh|CapAmb' /proc/self/status; "
      "sh -c 'exec grep -E \"CapInh|CapAmb\" /proc/self/status'");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out ==
        "CapInh:\t0000000000000000\nCapAmb:\t0000000000000000\n"
        "CapInh:\t0000000000000000\nCapAmb:\t0000000000000000\n");
}

TEST_CASE("CVE-2022-29162: an empty inheritable list in the spec gives CapInh 0") {
  Bundle b;
  b.set("/process/capabilities/inheritable", "[]");
  b.set_command("exec grep CapInh /proc/self/status");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "CapInh:\t0000000000000000\n");
}
