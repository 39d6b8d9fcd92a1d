// Crash safety by timing: `keel create` SIGKILLed after N ms, then `keel delete --force` and
// `keel list` must recover: no state dir, no cgroup, no process of the container, no mount left.
// Only for builds without KEEL_TEST_HOOKS: where the hooks are compiled in (every non-Release
// test build), tests/integration/robustness/step_crash_test.cpp kills create exactly at each
// named step instead, which this guessing by delays only approximates.
#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "harness.hpp"
#include "security_util.hpp"

#ifndef KEEL_TEST_HOOKS

using namespace keel::test;
using namespace keel::test::security;

namespace {

constexpr int kDelaysMs[] = {1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 200};

}  // namespace

TEST_CASE(
    "create SIGKILLed after N ms, then delete --force and list recover: no state, process "
    "or mount left") {
  int killed = 0;
  for (int ms : kDelaysMs) {
    CAPTURE(ms);
    Bundle b("crash");
    b.set_command("sleep 30");
    int mounts = mount_count();
    auto c = b.keel({"create", "--bundle", b.dir(), b.id()},
                    with_timeout(std::chrono::milliseconds(ms)));
    if (c.timed_out) ++killed;
    auto d = b.del(true);
    CHECK_MESSAGE(d.exit_code == 0, d.err);
    auto l = b.keel({"list", "-q"});
    CHECK(l.exit_code == 0);
    CHECK(l.out.find(b.id()) == std::string::npos);
    // A create killed between its mkdir and its lock file leaves an empty dir: delete --force
    // removes it too.
    CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
    // A leftover init dies of PDEATHSIG or by delete --force's cgroup kill; give it a moment.
    auto left = processes_with_argument(b.id());
    for (int i = 0; i < 50 && !left.empty(); ++i) {
      ::usleep(20000);
      left = processes_with_argument(b.id());
    }
    CHECK(left.empty());
    CHECK(mount_count() == mounts);
  }
  MESSAGE("creates killed midway: " << killed << " of 14");
  CHECK(killed > 0);
}

// A create killed between the cgroup manager's create and the first state.json write used to
// leave a state dir delete --force could not map to the cgroup (fixed: launch.cpp records the
// manager first, delete.cpp asks it again for the same cgroup).
TEST_CASE("create SIGKILLed after N ms, then delete --force removes its cgroup") {
  for (int ms : kDelaysMs) {
    CAPTURE(ms);
    Bundle b("crash-cg");
    b.set_command("sleep 30");
    b.keel({"create", "--bundle", b.dir(), b.id()}, with_timeout(std::chrono::milliseconds(ms)));
    b.del(true);
    CHECK(keel_test_cgroups(b.id()).empty());
  }
}

#endif  // KEEL_TEST_HOOKS
