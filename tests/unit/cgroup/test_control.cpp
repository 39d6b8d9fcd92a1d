#include <doctest/doctest.h>

#include "keel/cgroup/control.hpp"
#include "temp_tree.hpp"

using namespace keel::cgroup;

TEST_CASE("v1 freeze writes FROZEN and the state reads paused, thaw reads running") {
  TempTree t;
  t.put("freezer/c/freezer.state", "THAWED\n");
  CgroupSet s;
  s.dirs["freezer"] = t.path("freezer/c");
  REQUIRE(freeze(s, true));
  CHECK(t.get("freezer/c/freezer.state") == "FROZEN");
  CHECK(*freezer_state(s) == "paused");
  t.put("freezer/c/freezer.state", "FREEZING\n");
  CHECK(*freezer_state(s) == "pausing");
  REQUIRE(freeze(s, false));
  CHECK(*freezer_state(s) == "running");
}

TEST_CASE("v2 freezer state follows cgroup.freeze and cgroup.events") {
  TempTree t;
  t.put("c/cgroup.freeze", "0\n");
  t.put("c/cgroup.events", "populated 1\nfrozen 1\n");
  CgroupSet s;
  s.mode = Mode::v2;
  s.dirs["unified"] = t.path("c");
  CHECK(*freezer_state(s) == "running");
  REQUIRE(freeze(s, true));  // events already says frozen 1
  CHECK(t.get("c/cgroup.freeze") == "1");
  CHECK(*freezer_state(s) == "paused");
  t.put("c/cgroup.events", "populated 1\nfrozen 0\n");
  CHECK(*freezer_state(s) == "pausing");
}

TEST_CASE("freeze without a freezer controller is a clear error") {
  CgroupSet s;
  s.dirs["memory"] = "/nonexistent";
  auto r = freeze(s, true);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("freezer") != std::string::npos);
}

TEST_CASE("pids are collected from the cgroup and every sub-cgroup") {
  TempTree t;
  t.put("freezer/c/cgroup.procs", "10\n12\n");
  t.put("freezer/c/sub/cgroup.procs", "11\n");
  t.put("freezer/c/sub/deeper/cgroup.procs", "");
  CgroupSet s;
  s.dirs["freezer"] = t.path("freezer/c");
  auto p = all_pids(s);
  REQUIRE(p);
  CHECK(*p == std::vector<pid_t>{10, 11, 12});
}

TEST_CASE("destroy removes the cgroup dirs with their children and tolerates missing ones") {
  TempTree t;
  t.mkdir("memory/c/sub/deeper");
  t.mkdir("cpu/c");
  CgroupSet s;
  s.dirs["memory"] = t.path("memory/c");
  s.dirs["cpu"] = t.path("cpu/c");
  s.dirs["pids"] = t.path("pids/c");  // never created
  REQUIRE(destroy(s));
  CHECK_FALSE(t.has("memory/c"));
  CHECK_FALSE(t.has("cpu/c"));
  CHECK(t.has("memory"));
}
