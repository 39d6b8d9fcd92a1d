#include <doctest/doctest.h>

#include "keel/cgroup/fs.hpp"
#include "keel/cgroup/manager.hpp"
#include "temp_tree.hpp"

using namespace keel::cgroup;

TEST_CASE("the state JSON round-trips paths, layout and created dirs") {
  State s;
  s.set.mode = Mode::hybrid;
  s.set.dirs = {{"memory", "/sys/fs/cgroup/memory/k/x"}, {"unified", "/sys/fs/cgroup/unified/k/x"}};
  s.set.unified_controllers = {"hugetlb"};
  s.created = {"/sys/fs/cgroup/memory/k", "/sys/fs/cgroup/memory/k/x"};
  auto back = decode_state(encode_state(s));
  REQUIRE(back);
  CHECK(back->set.mode == Mode::hybrid);
  CHECK(back->set.dirs == s.set.dirs);
  CHECK(back->set.unified_controllers == s.set.unified_controllers);
  CHECK(back->created == s.created);
  CHECK(paths_json(back->set).find("\"hugetlb\":\"/sys/fs/cgroup/unified/k/x\"") !=
        std::string::npos);
  CHECK_FALSE(decode_state(R"({"version":2,"layout":"v1","paths":{"a":"/b"}})"));
}

TEST_CASE("the create request keeps resources as JSON and requires an id") {
  auto r = parse_create_request(
      R"({"id":"x","cgroupsPath":"/k/x","resources":{"pids":{"limit":5}},"rootless":false,"options":{}})");
  REQUIRE(r);
  CHECK(r->cgroups_path == "/k/x");
  CHECK(r->resources_json == R"({"pids":{"limit":5}})");
  CHECK(parse_create_request(R"({"id":"x","resources":null})")->resources_json.empty());
  CHECK_FALSE(parse_create_request(R"({"cgroupsPath":"/x"})"));
}

TEST_CASE("create removes every dir it made when a write fails, and keeps what existed") {
  TempTree t;
  t.mkdir("memory/keep");
  t.mkdir("pids");
  t.mkdir("devices");
  Layout l;
  l.mode = Mode::v1;
  l.root = t.root();
  l.v1 = {{"memory", t.path("memory")}, {"pids", t.path("pids")}, {"devices", t.path("devices")}};
  CreateRequest req;
  req.id = "x";
  req.cgroups_path = "/keep/new/x";
  // Plain dirs have no kernel files: the first write (devices.deny, deny-all) fails.
  req.resources_json = R"({"pids":{"limit":5}})";
  auto r = create(l, req, {});
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("writing " + t.path("devices/keep/new/x/devices.deny")) !=
        std::string::npos);
  CHECK(t.has("memory/keep"));
  CHECK_FALSE(t.has("memory/keep/new"));
  CHECK_FALSE(t.has("pids/keep"));
  CHECK_FALSE(t.has("devices/keep"));
}

TEST_CASE("mkdir_p makes only the missing levels, outermost first, and accepts an existing dir") {
  TempTree t;
  t.mkdir("a");
  std::vector<std::string> made;
  REQUIRE(mkdir_p(t.path("a/b/c"), &made));
  CHECK(made == std::vector<std::string>{t.path("a/b"), t.path("a/b/c")});
  made.clear();
  REQUIRE(mkdir_p(t.path("a/b/c"), &made));
  CHECK(made.empty());
  t.put("a/file", "x");
  auto bad = mkdir_p(t.path("a/file/d"), &made);
  REQUIRE_FALSE(bad);
  CHECK(bad.error().message.find("creating cgroup directory " + t.path("a/file/d")) !=
        std::string::npos);
}
