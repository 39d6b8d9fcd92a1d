// The generated eBPF device program, loaded and attached by the real kernel: on this hybrid host
// the cgroup2 hierarchy at /sys/fs/cgroup/unified accepts BPF_CGROUP_DEVICE programs.
#include <doctest/doctest.h>

#include "keel/cgroup/devices.hpp"
#include "keel/cgroup/fs.hpp"
#include "plugin_fixture.hpp"

using namespace keel::cgroup;

namespace {

// Exit code: bit 0 = /dev/null opened, bit 1 = /dev/zero opened.
int probe() {
  int bits = 0;
  int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) bits |= 1, ::close(fd);
  fd = ::open("/dev/zero", O_RDONLY | O_CLOEXEC);
  if (fd >= 0) bits |= 2, ::close(fd);
  return bits;
}

int run_probe_in(const std::string& dir) {
  Child child(probe);
  auto r = write_file(dir, "cgroup.procs", std::to_string(child.pid));
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  child.release();
  int status = child.wait();
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("the eBPF device filter is accepted by the kernel and enforced, and updates replace it") {
  if (!fs::exists("/sys/fs/cgroup/unified/cgroup.procs")) return;
  TestCgroup cg;
  std::string dir = cg.dir("unified");
  REQUIRE(mkdir_p(dir, nullptr));
  // Deny all but runc's defaults: /dev/null (1:3) and /dev/zero (1:5) are both defaults,
  // so deny /dev/zero explicitly after them.
  auto rules = effective_device_rules({DeviceRule{false, 'a', -1, -1, "rwm"}});
  rules.push_back(DeviceRule{false, 'c', 1, 5, "rwm"});
  auto program = device_filter_program(rules);
  REQUIRE(program);
  auto attached = attach_device_filter(dir, *program);
  REQUIRE_MESSAGE(attached, (attached ? "" : attached.error().message));
  CHECK(run_probe_in(dir) == 1);  // /dev/null yes, /dev/zero no

  auto allow_all = device_filter_program({DeviceRule{true, 'a', -1, -1, "rwm"}});
  REQUIRE(allow_all);
  REQUIRE(attach_device_filter(dir, *allow_all));
  CHECK(run_probe_in(dir) == 3);  // the old program was detached, not stacked
}
