#include <doctest/doctest.h>

#include "keel/cgroup/paths.hpp"

using namespace keel::cgroup;

namespace {

Layout hybrid() {
  Layout l;
  l.mode = Mode::hybrid;
  l.root = "/sys/fs/cgroup";
  l.v1 = {{"memory", "/sys/fs/cgroup/memory"}, {"cpu", "/sys/fs/cgroup/cpu"}};
  l.unified = "/sys/fs/cgroup/unified";
  l.unified_controllers = {"hugetlb"};
  return l;
}

const std::map<std::string, std::string> kOwn = {
    {"memory", "/process_api/abc"}, {"cpu", "/"}, {"", "/"}};

}  // namespace

TEST_CASE("an absolute cgroupsPath is placed under every hierarchy root") {
  auto s = resolve(hybrid(), "/keel-test/a", "id", kOwn);
  REQUIRE(s);
  CHECK(s->dirs.at("memory") == "/sys/fs/cgroup/memory/keel-test/a");
  CHECK(s->dirs.at("cpu") == "/sys/fs/cgroup/cpu/keel-test/a");
  CHECK(s->dirs.at("unified") == "/sys/fs/cgroup/unified/keel-test/a");
  CHECK(s->dir_for("hugetlb") == "/sys/fs/cgroup/unified/keel-test/a");
  CHECK(s->dir_for("net_cls").empty());
}

TEST_CASE("a relative cgroupsPath is placed under our own cgroup of each controller") {
  auto s = resolve(hybrid(), "ctr/x", "id", kOwn);
  REQUIRE(s);
  CHECK(s->dirs.at("memory") == "/sys/fs/cgroup/memory/process_api/abc/ctr/x");
  CHECK(s->dirs.at("cpu") == "/sys/fs/cgroup/cpu/ctr/x");
  CHECK(s->dirs.at("unified") == "/sys/fs/cgroup/unified/ctr/x");
}

TEST_CASE("an empty cgroupsPath means /<id>") {
  auto s = resolve(hybrid(), "", "mycontainer", kOwn);
  REQUIRE(s);
  CHECK(s->dirs.at("memory") == "/sys/fs/cgroup/memory/mycontainer");
}

TEST_CASE("cgroupsPath with .. is refused and so is the root cgroup") {
  auto up = clean_cgroups_path("/keel-test/../../etc", "id");
  REQUIRE_FALSE(up);
  CHECK(up.error().message.find("\"..\"") != std::string::npos);
  CHECK_FALSE(clean_cgroups_path("../x", "id"));
  CHECK_FALSE(clean_cgroups_path("/", "id"));
  CHECK(*clean_cgroups_path("//a/./b//", "id") == "/a/b");
  CHECK(*clean_cgroups_path("a/b/", "id") == "a/b");
}

TEST_CASE("a relative path without our own cgroup line is an error") {
  auto s = resolve(hybrid(), "x", "id", {});
  REQUIRE_FALSE(s);
  CHECK(s.error().code == ENOENT);
  CHECK(s.error().message.find("our own cgroup") != std::string::npos);
}

TEST_CASE("/proc/self/cgroup lines are split per controller and v2 is keyed empty") {
  auto m = parse_proc_cgroup("9:name=systemd:/\n2:cpu,cpuacct:/a\n0::/b\n");
  CHECK(m.at("name=systemd") == "/");
  CHECK(m.at("cpu") == "/a");
  CHECK(m.at("cpuacct") == "/a");
  CHECK(m.at("") == "/b");
}
