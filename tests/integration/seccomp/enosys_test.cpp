// The ENOSYS stub: syscalls newer than every syscall a default-deny profile names fail with
// ENOSYS (so glibc falls back), older unlisted ones get the default errno.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "seccomp_fixture.hpp"

using namespace keel::test;

TEST_CASE("a syscall newer than the profile gets ENOSYS, an older unlisted one the default errno") {
  const int landlock = syscall_number("landlock_create_ruleset");
  REQUIRE(landlock == 444);
  // Docker's allow-list cut below 440: faccessat2 (439) is the newest syscall it names.
  std::string profile = allowlist_profile({}, 440, "SCMP_ACT_ERRNO", 1);
  REQUIRE(profile.find("\"faccessat2\"") != std::string::npos);
  REQUIRE(profile.find("\"add_key\"") == std::string::npos);  // 248: older, not listed
  auto host = run_program({SECCOMP_PROBE, "call", "landlock_create_ruleset", "0", "0", "1"});
  if (host.out == "landlock_create_ruleset=errno 38\n")
    MESSAGE("this kernel has no landlock: ENOSYS below proves less than it should");

  Bundle b;
  add_probe(b);
  b.set("/linux/seccomp", profile);
  // LANDLOCK_CREATE_RULESET_VERSION: without a filter this returns the ABI version.
  b.set_command("probe call landlock_create_ruleset 0 0 1; probe call add_key; echo done");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "landlock_create_ruleset=errno 38\nadd_key=errno 1\ndone\n");
}

TEST_CASE("the stub applies with defaultErrnoRet too, and not at all under a default ALLOW") {
  Bundle b;
  add_probe(b);
  SUBCASE("default ERRNO(EDQUOT)") {
    b.set("/linux/seccomp", allowlist_profile({}, 440, "SCMP_ACT_ERRNO", 122));
    b.set_command("probe call landlock_create_ruleset 0 0 1; probe call add_key");
    auto r = b.run();
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "landlock_create_ruleset=errno 38\nadd_key=errno 122\n");
  }
  SUBCASE("default ALLOW: the new syscall reaches the kernel") {
    b.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[)"
                            R"({"names":["add_key"],"action":"SCMP_ACT_ERRNO","errnoRet":122}]})");
    b.set_command("probe call landlock_create_ruleset 0 0 1; probe call add_key");
    auto r = b.run();
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    // The same answer as on the host, whatever this kernel's landlock support is.
    auto host = run_program({SECCOMP_PROBE, "call", "landlock_create_ruleset", "0", "0", "1"});
    CHECK(r.out == host.out + "add_key=errno 122\n");
  }
}
