// Crash injection at each named step of `keel create` (KEEL_TEST_STEP in core/src, compiled in
// with -DKEEL_TEST_HOOKS=ON): the create is paused exactly at the step, SIGKILLed there, and then
// `keel list` and `keel delete --force` must recover: nothing leaked, no zombie, no stuck lock.
#include <doctest/doctest.h>

#include <string>

#include "harness.hpp"
#include "robustness_util.hpp"

using namespace keel::test;
using namespace keel::test::robustness;

namespace {

// In the order create reaches them. "child-*" steps pause the container's init (keel's code
// still, before execve), the others the runtime process.
constexpr const char* kSteps[] = {
    "state-dir-made",     // state dir mkdir'ed, no lock file yet
    "state-dir-locked",   // lock file made and held
    "manager-recorded",   // state.json names the cgroup manager, no cgroup yet
    "cgroup-created",     // cgroup exists, its state not yet recorded
    "cgroup-recorded",    // state.json has the cgroup state
    "exec-fifo-made",     // exec.fifo in the state dir
    "init-cloned",        // init exists (PDEATHSIG armed), not yet in the cgroup
    "child-started",      // in the init: first instruction after the clone
    "init-in-cgroup",     // init moved into the cgroup
    "child-mounts-done",  // in the init: rootfs mounts made, before pivot_root
    "child-pivoted",      // in the init: after pivot_root
    "child-detached",     // in the init: PDEATHSIG cleared, it no longer dies with keel
    "init-ready",         // init blocked on exec.fifo, state.json without the pid yet
    "state-created",      // final state.json written, create about to exit 0
};

}  // namespace

#ifdef KEEL_TEST_HOOKS
TEST_CASE(
    "create SIGKILLed exactly at each step, then list and delete --force recover: no state dir, "
    "cgroup, mount or process left") {
  for (int round = 1; round <= rounds(); ++round) {
    for (const char* step : kSteps) {
      CAPTURE(round);
      CAPTURE(step);
      Bundle b("step");
      b.set_command("sleep 30");
      auto bg = start_keel({"--root", b.state_root(), "create", "--bundle", b.dir(), b.id()},
                           {std::string("KEEL_TEST_PAUSE_AT=") + step});
      bool paused = wait_for_text(bg.err_path, std::string("paused at ") + step + " pid",
                                  std::chrono::seconds(20));
      int status = kill_and_reap(bg);
      REQUIRE_MESSAGE(paused, read_file(bg.err_path));
      CHECK(WIFSIGNALED(status));  // killed at the step, not finished or failed on its own

      auto before = b.keel({"list", "-q"});
      CHECK_MESSAGE(before.exit_code == 0, before.err);
      auto d = b.del(true);
      CHECK_MESSAGE(d.exit_code == 0, d.err);
      auto after = b.keel({"list", "-q"});
      CHECK(after.exit_code == 0);
      CHECK(after.out.find(b.id()) == std::string::npos);
      auto left = leftovers(b.id(), b.state_root(), b.dir());
      CHECK_MESSAGE(left.empty(), joined(left));
      // No stuck lock: the id can be used again at once, and the container works.
      auto again = b.create();
      CHECK_MESSAGE(again.exit_code == 0, again.err);
      CHECK(b.status() == "created");
      CHECK(b.del(true).exit_code == 0);
      left = leftovers(b.id(), b.state_root(), b.dir());
      CHECK_MESSAGE(left.empty(), joined(left));
    }
  }
}
#else
TEST_CASE("create SIGKILLed exactly at each step (needs -DKEEL_TEST_HOOKS=ON)") {
  MESSAGE("keel was built without KEEL_TEST_HOOKS: step crash injection skipped");
}
#endif
