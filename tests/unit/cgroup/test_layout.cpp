#include <doctest/doctest.h>

#include "keel/cgroup/layout.hpp"

using namespace keel::cgroup;

namespace {

// /proc/self/mountinfo and /proc/cgroups of the development host (hybrid).
const char* kHybridMountinfo =
    "23 1 0:21 / /sys rw,nosuid - sysfs sysfs rw\n"
    "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
    "33 31 0:30 / /sys/fs/cgroup/cpuacct rw,relatime - cgroup cgroup rw,cpuacct\n"
    "34 31 0:31 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset\n"
    "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
    "36 31 0:33 / /sys/fs/cgroup/devices rw,relatime - cgroup cgroup rw,devices\n"
    "37 31 0:34 / /sys/fs/cgroup/freezer rw,relatime - cgroup cgroup rw,freezer\n"
    "38 31 0:35 / /sys/fs/cgroup/blkio rw,relatime - cgroup cgroup rw,blkio\n"
    "39 31 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n"
    "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd\n"
    "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n";
const char* kProcCgroups =
    "#subsys_name\thierarchy\tnum_cgroups\tenabled\n"
    "cpuset\t3\t1\t1\ncpu\t1\t1\t1\ncpuacct\t2\t1\t1\nblkio\t7\t1\t1\nmemory\t4\t13\t1\n"
    "devices\t5\t1\t1\nfreezer\t6\t1\t1\nnet_cls\t0\t1\t1\nperf_event\t0\t1\t1\n"
    "net_prio\t0\t1\t1\nhugetlb\t0\t1\t1\npids\t8\t1\t1\n";

}  // namespace

TEST_CASE("the development host's mountinfo is detected as hybrid with hugetlb on cgroup2") {
  auto l = layout_from_mountinfo(kHybridMountinfo, kProcCgroups, "hugetlb\n", "/sys/fs/cgroup");
  REQUIRE(l);
  CHECK(l->mode == Mode::hybrid);
  CHECK(l->unified == "/sys/fs/cgroup/unified");
  CHECK(l->unified_controllers == std::set<std::string>{"hugetlb"});
  CHECK(l->v1.size() == 9);
  CHECK(l->v1.at("memory") == "/sys/fs/cgroup/memory");
  CHECK(l->v1.at("name=systemd") == "/sys/fs/cgroup/systemd");
  CHECK_FALSE(l->v1.contains("net_cls"));  // enabled but not mounted
}

TEST_CASE("co-mounted v1 controllers share one mountpoint and v1 without unified is v1") {
  const char* mi =
      "31 23 0:28 / /sys/fs/cgroup rw - tmpfs tmpfs rw\n"
      "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct\n"
      "33 31 0:30 / /sys/fs/cgroup/memory rw shared:5 - cgroup cgroup rw,memory\n";
  auto l = layout_from_mountinfo(mi, kProcCgroups, "", "/sys/fs/cgroup");
  REQUIRE(l);
  CHECK(l->mode == Mode::v1);
  CHECK(l->v1.at("cpu") == "/sys/fs/cgroup/cpu,cpuacct");
  CHECK(l->v1.at("cpuacct") == "/sys/fs/cgroup/cpu,cpuacct");
  CHECK(l->v1.at("memory") == "/sys/fs/cgroup/memory");  // optional field "shared:5" skipped
  CHECK(l->unified.empty());
}

TEST_CASE("cgroup2 mounted at the root is v2 with controllers from cgroup.controllers") {
  const char* mi = "30 23 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n";
  auto l = layout_from_mountinfo(mi, kProcCgroups, "cpuset cpu io memory pids\n", "/sys/fs/cgroup");
  REQUIRE(l);
  CHECK(l->mode == Mode::v2);
  CHECK(l->unified == "/sys/fs/cgroup");
  CHECK(l->unified_controllers.contains("memory"));
  CHECK(l->v1.empty());
}

TEST_CASE("mounts outside the root are ignored and no hierarchy at all is an error") {
  const char* mi = "32 31 0:29 / /elsewhere/cpu rw - cgroup cgroup rw,cpu\n";
  auto l = layout_from_mountinfo(mi, kProcCgroups, "", "/sys/fs/cgroup");
  REQUIRE_FALSE(l);
  CHECK(l.error().message.find("/sys/fs/cgroup") != std::string::npos);
}

TEST_CASE("the real host layout is detected the same way as its mountinfo text says") {
  auto l = detect_layout("/sys/fs/cgroup");
  REQUIRE(l);
  CHECK(!l->v1.empty() + !l->unified.empty() > 0);
  CHECK(mode_name(*parse_mode(mode_name(l->mode))) == mode_name(l->mode));
}

TEST_CASE("a tmpfs mounted over the root hides the hierarchies mounted before it") {
  // What bench/v1-cgroups-ns.sh makes: the host's hybrid mounts stay listed in mountinfo, then a
  // new tmpfs on the root with only the v1 hierarchies mounted again.
  std::string mi = std::string(kHybridMountinfo) +
                   "63 31 0:39 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
                   "64 63 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
                   "65 63 0:36 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids\n";
  auto l = layout_from_mountinfo(mi, kProcCgroups, "", "/sys/fs/cgroup");
  REQUIRE(l);
  CHECK(l->mode == Mode::v1);
  CHECK(l->unified.empty());
  CHECK(l->v1.size() == 2);
  CHECK(l->v1.at("pids") == "/sys/fs/cgroup/pids");
}
