// On pure cgroup v2, exec's process is born in the container's cgroup (CLONE_INTO_CGROUP) rather
// than forked in keel's cgroup and moved. Proof: keel runs in a cgroup whose pids.max allows no
// second task, so a plain fork fails; a clone into the container's cgroup is charged there.
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "exec_common.hpp"
#include "harness.hpp"

using namespace keel::test;

TEST_CASE("v2: exec clones straight into the container's cgroup (CLONE_INTO_CGROUP)") {
  if (!cgroup_v2_host()) {
    MESSAGE(
        "skipped: needs pure cgroup v2 (this host has v1 or hybrid cgroups; the VM lane "
        "runs it)");
    return;
  }
  Bundle b("xcg");
  start_sleeper(b);
  // A sibling of the container's cgroup for keel itself: pids.max 1 = keel alone.
  std::string caller = cgroup_dir("pids", "/keel-test/" + b.id() + "-caller");
  REQUIRE_MESSAGE(::mkdir(caller.c_str(), 0755) == 0, caller);
  struct RemoveCaller {
    std::string dir;
    ~RemoveCaller() { ::rmdir(dir.c_str()); }
  } remove{caller};
  REQUIRE_MESSAGE(path_exists(caller + "/pids.max"), "no pids controller in " << caller);
  write_file(caller + "/pids.max", "1");
  std::string cmd = "echo $$ > " + caller + "/cgroup.procs && exec " + KEEL_BINARY + " --root " +
                    b.state_root() + " exec " + b.id() + " cat /proc/self/cgroup";
  auto r = run_program({"/bin/sh", "-c", cmd}, with_timeout(20s));
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);  // a plain clone from keel's cgroup fails: pids.max reached
  // The same cgroup as the init, as the init sees it.
  CHECK(r.out == read_file("/proc/" + std::to_string(b.pid()) + "/cgroup"));
}
