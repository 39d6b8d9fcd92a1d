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
// still, before execve), the others the runtime process. `cgroup`: the kill leaves the cgroup
// behind; `init`: the init outlives the killed runtime (PDEATHSIG no longer armed).
struct Step {
  const char* name;
  bool cgroup;
  bool init;
};
constexpr Step kSteps[] = {
    {"state-dir-made", false, false},    // state dir mkdir'ed, no lock file yet
    {"state-dir-locked", false, false},  // lock file made and held
    {"manager-recorded", false, false},  // state.json names the cgroup manager, no cgroup yet
    {"cgroup-created", true, false},     // cgroup exists, its state not yet recorded
    {"cgroup-recorded", true, false},    // state.json has the cgroup state
    {"exec-fifo-made", true, false},     // exec.fifo in the state dir
    {"init-cloned", true, false},        // init exists (PDEATHSIG armed), not yet in the cgroup
    {"child-started", true, false},      // in the init: first instruction after the clone
    {"init-in-cgroup", true, false},     // init moved into the cgroup
    {"child-mounts-done", true, false},  // in the init: rootfs mounts made, before pivot_root
    {"child-pivoted", true, false},      // in the init: after pivot_root
    {"child-detached", true, true},      // in the init: PDEATHSIG cleared
    {"init-ready", true, true},          // init blocked on exec.fifo, no pid in state.json yet
    {"state-created", true, true},       // final state.json written, create about to exit 0
};

}  // namespace

#ifdef KEEL_TEST_HOOKS
TEST_CASE(
    "create SIGKILLed exactly at each step, then list and delete --force recover: no state dir, "
    "cgroup, mount or process left") {
  for (int round = 1; round <= rounds(); ++round) {
    for (const auto& [step, cgroup_left, init_left] : kSteps) {
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
      // What the kill left is there (so the checks after the recovery can fail).
      CHECK(path_exists(b.state_root() + "/" + b.id()));
      CHECK(keel_test_cgroups(b.id()).empty() == !cgroup_left);
      if (init_left) CHECK_FALSE(processes_with_argument(b.id()).empty());

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
