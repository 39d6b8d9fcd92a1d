// The real profiles Docker and Podman pass (tests/fixtures/specs), on the harness's busybox
// bundle: an ordinary shell session works, namespace and mount syscalls are refused.
#include <doctest/doctest.h>

#include <filesystem>

#include "harness.hpp"
#include "seccomp_fixture.hpp"

using namespace keel::test;

namespace {

constexpr const char* kSession =
    "echo hello; ls / | grep -c bin; cat /etc/group; sh -c 'echo a b c | wc -w';"
    " echo data > /tmp/f && cat /tmp/f; mkdir -p /tmp/d/e && ls /tmp/d;"
    " sleep 0.1 & wait; id -u";
constexpr const char* kSessionOut = "hello\n1\nroot:x:0:\n3\ndata\ne\n0\n";

// The engine's profile and, because the profile was generated for them, its capabilities.
void use_engine(Bundle& b, const std::string& fixture, bool engine_caps) {
  add_applets(b, {"mkdir", "unshare"});
  std::filesystem::create_directories(b.rootfs() + "/mnt");
  b.set("/linux/seccomp", fixture_seccomp(fixture));
  if (engine_caps) b.set("/process/capabilities", fixture_value(fixture, "/process/capabilities"));
}

constexpr const char* kRefusals =
    "unshare -n true 2>/dev/null && echo unshare-allowed || echo unshare-refused;"
    " mount -t tmpfs none /mnt 2>/dev/null && echo mount-allowed || echo mount-refused";

}  // namespace

TEST_CASE("Docker's and Podman's seccomp profiles run an ordinary shell session") {
  for (std::string fixture : {"docker-create.json", "podman-create.json"}) {
    CAPTURE(fixture);
    Bundle b;
    use_engine(b, fixture, true);
    b.set_command(kSession);
    auto r = b.run();
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == kSessionOut);
  }
}

TEST_CASE("under Docker's and Podman's profiles and capabilities unshare and mount are refused") {
  for (std::string fixture : {"docker-create.json", "podman-create.json"}) {
    CAPTURE(fixture);
    Bundle b;
    use_engine(b, fixture, true);
    b.set_command(kRefusals);
    auto r = b.run();
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "unshare-refused\nmount-refused\n");
  }
}

TEST_CASE("Docker's profile itself refuses unshare and mount even with CAP_SYS_ADMIN") {
  SUBCASE("with the profile") {
    Bundle b;
    use_engine(b, "docker-create.json", false);  // the harness's caps include CAP_SYS_ADMIN
    b.set_command("unshare -n true 2>&1; mount -t tmpfs none /mnt 2>&1; echo end");
    auto r = b.run();
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out ==
          "unshare: unshare(0x40000000): Operation not permitted\n"
          "mount: permission denied (are you root?)\nend\n");
  }
  SUBCASE("control: the same bundle without a profile may do both") {
    Bundle b;
    use_engine(b, "docker-create.json", false);
    b.remove("/linux/seccomp");
    b.set_command(kRefusals);
    auto r = b.run();
    CHECK_MESSAGE(r.exit_code == 0, r.err);
    CHECK(r.out == "unshare-allowed\nmount-allowed\n");
  }
}

TEST_CASE("Podman's profile: unlisted syscalls get defaultErrnoRet ENOSYS, listed ones EPERM") {
  Bundle b;
  use_engine(b, "podman-create.json", true);
  add_probe(b);
  b.set_command("probe call add_key; probe call acct 0");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "add_key=errno 38\nacct=errno 1\n");
}
