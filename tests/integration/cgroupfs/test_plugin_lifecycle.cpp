#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "plugin_fixture.hpp"

namespace {

std::string request(const TestCgroup& cg, const std::string& resources) {
  return R"({"id":"it","cgroupsPath":")" + cg.path() + R"(","resources":)" + resources +
         R"(,"rootless":false,"options":{}})";
}

bool hybrid_host() {
  return fs::exists("/sys/fs/cgroup/memory") && fs::exists("/sys/fs/cgroup/unified");
}

}  // namespace

TEST_CASE("create, apply, set, freeze, stats, kill_all and destroy on the real hierarchy") {
  if (!hybrid_host()) return;  // the checks below read v1 file names
  Plugin plugin;
  TestCgroup cg;
  keel_error err{};
  Sink state;
  int clone_fd = 7;
  int rc = plugin.ops->create(request(cg, R"({"memory":{"limit":67108864},"pids":{"limit":20},
                     "cpu":{"shares":512,"quota":20000,"period":100000}})")
                                  .c_str(),
                              &state.raw, &clone_fd, &err);
  REQUIRE_MESSAGE(rc == 0, err.message);
  CHECK(clone_fd == -1);  // hybrid: the host joins with apply()
  CHECK(state.text.find(R"("layout":"hybrid")") != std::string::npos);
  CHECK(slurp(cg.dir("memory") + "/memory.limit_in_bytes") == "67108864");
  CHECK(slurp(cg.dir("pids") + "/pids.max") == "20");
  CHECK(slurp(cg.dir("cpu") + "/cpu.shares") == "512");
  CHECK(slurp(cg.dir("cpu") + "/cpu.cfs_quota_us") == "20000");
  CHECK(fs::is_directory(cg.dir("unified")));
  CHECK(slurp(cg.dir("cpuset") + "/cpuset.cpus") == slurp("/sys/fs/cgroup/cpuset/cpuset.cpus"));

  Child child([] {
    for (;;) ::pause();
    return 0;
  });
  REQUIRE_MESSAGE(plugin.ops->apply(state.text.c_str(), child.pid, &err) == 0, err.message);
  std::string own = slurp("/proc/" + std::to_string(child.pid) + "/cgroup");
  CHECK(own.find("memory:" + cg.path()) != std::string::npos);
  CHECK(own.find("0::" + cg.path()) != std::string::npos);
  child.release();

  rc = plugin.ops->set(state.text.c_str(), R"({"memory":{"limit":33554432},"pids":{"limit":10}})",
                       &err);
  REQUIRE_MESSAGE(rc == 0, err.message);
  CHECK(slurp(cg.dir("memory") + "/memory.limit_in_bytes") == "33554432");
  CHECK(slurp(cg.dir("pids") + "/pids.max") == "10");

  Sink pids;
  REQUIRE(plugin.ops->pids(state.text.c_str(), &pids.raw, &err) == 0);
  CHECK(pids.text == "[" + std::to_string(child.pid) + "]");

  REQUIRE_MESSAGE(plugin.ops->freeze(state.text.c_str(), 1, &err) == 0, err.message);
  CHECK(slurp(cg.dir("freezer") + "/freezer.state") == "FROZEN");
  Sink fstate;
  REQUIRE(plugin.ops->freezer_state(state.text.c_str(), &fstate.raw, &err) == 0);
  CHECK(fstate.text == "paused");
  REQUIRE(plugin.ops->freeze(state.text.c_str(), 0, &err) == 0);
  fstate.text.clear();
  REQUIRE(plugin.ops->freezer_state(state.text.c_str(), &fstate.raw, &err) == 0);
  CHECK(fstate.text == "running");

  Sink stats;
  REQUIRE_MESSAGE(plugin.ops->stats(state.text.c_str(), &stats.raw, &err) == 0, err.message);
  rapidjson::Document d;
  d.Parse(stats.text.c_str());
  REQUIRE_FALSE(d.HasParseError());
  CHECK(d["pids"]["current"].GetUint64() == 1);
  CHECK(d["pids"]["limit"].GetUint64() == 10);
  CHECK(d["memory"]["usage"]["limit"].GetUint64() == 33554432);
  CHECK(d["memory"]["raw"].HasMember("rss"));

  Sink paths;
  REQUIRE(plugin.ops->paths(state.text.c_str(), &paths.raw, &err) == 0);
  CHECK(paths.text.find("\"memory\":\"" + cg.dir("memory") + "\"") != std::string::npos);
  CHECK(paths.text.find("\"hugetlb\":\"" + cg.dir("unified") + "\"") != std::string::npos);

  REQUIRE_MESSAGE(plugin.ops->kill_all(state.text.c_str(), SIGKILL, &err) == 0, err.message);
  int status = child.wait();
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  REQUIRE_MESSAGE(plugin.ops->destroy(state.text.c_str(), &err) == 0, err.message);
  for (const char* h : {"memory", "pids", "cpu", "cpuset", "freezer", "devices", "unified"}) {
    CHECK_MESSAGE(!fs::exists(cg.dir(h)), h);
    CHECK_MESSAGE(!fs::exists(cg.top(h)), h);  // the parent create() made goes too
  }
}

TEST_CASE("a pids limit of 5 stops a fork loop in the child") {
  Plugin plugin;
  TestCgroup cg;
  keel_error err{};
  Sink state;
  int clone_fd = -1;
  REQUIRE_MESSAGE(plugin.ops->create(request(cg, R"({"pids":{"limit":5}})").c_str(), &state.raw,
                                     &clone_fd, &err) == 0,
                  err.message);
  Child child([] {
    int made = 0;
    for (int i = 0; i < 20; ++i) {
      pid_t p = ::fork();
      if (p == 0) {
        for (;;) ::pause();
      }
      if (p < 0) break;
      ++made;
    }
    return made;
  });
  REQUIRE_MESSAGE(plugin.ops->apply(state.text.c_str(), child.pid, &err) == 0, err.message);
  child.release();
  int status = child.wait();
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 4);  // 5 tasks: the child and four forks
  REQUIRE_MESSAGE(plugin.ops->kill_all(state.text.c_str(), SIGKILL, &err) == 0, err.message);
  REQUIRE_MESSAGE(plugin.ops->destroy(state.text.c_str(), &err) == 0, err.message);
  CHECK_FALSE(fs::exists(cg.dir("pids")));
}

TEST_CASE("a refused value fails create with the file and value named and leaves no cgroup") {
  if (!hybrid_host()) return;
  Plugin plugin;
  TestCgroup cg;
  keel_error err{};
  Sink state;
  int clone_fd = -1;
  int rc = plugin.ops->create(request(cg, R"({"cpu":{"cpus":"no-such-cpu"}})").c_str(), &state.raw,
                              &clone_fd, &err);
  REQUIRE(rc == -1);
  CHECK(err.err == EINVAL);
  CHECK(std::string(err.message)
            .find("writing " + cg.dir("cpuset") +
                  "/cpuset.cpus: \"no-such-cpu\": Invalid argument") != std::string::npos);
  for (const char* h : {"memory", "pids", "cpuset", "unified"}) CHECK_FALSE(fs::exists(cg.top(h)));
}

TEST_CASE("create refuses .. in cgroupsPath and unified keys for v1 controllers") {
  Plugin plugin;
  TestCgroup cg;
  keel_error err{};
  Sink state;
  int clone_fd = -1;
  std::string bad = R"({"id":"x","cgroupsPath":"/keel-test/../x","resources":null})";
  CHECK(plugin.ops->create(bad.c_str(), &state.raw, &clone_fd, &err) == -1);
  CHECK(std::string(err.message).find("..") != std::string::npos);
  if (!hybrid_host()) return;
  CHECK(plugin.ops->create(request(cg, R"({"unified":{"memory.high":"1G"}})").c_str(), &state.raw,
                           &clone_fd, &err) == -1);
  CHECK(std::string(err.message).find("memory.high") != std::string::npos);
  CHECK_FALSE(fs::exists(cg.top("memory")));
}

TEST_CASE("hugetlb limits land in the cgroup2 hierarchy of a hybrid host") {
  if (!hybrid_host() ||
      slurp("/sys/fs/cgroup/unified/cgroup.controllers").find("hugetlb") == std::string::npos)
    return;
  Plugin plugin;
  TestCgroup cg;
  keel_error err{};
  Sink state;
  int clone_fd = -1;
  REQUIRE_MESSAGE(
      plugin.ops->create(
          request(cg, R"({"hugepageLimits":[{"pageSize":"2MB","limit":4194304}]})").c_str(),
          &state.raw, &clone_fd, &err) == 0,
      err.message);
  CHECK(slurp(cg.dir("unified") + "/hugetlb.2MB.max") == "4194304");
  REQUIRE(plugin.ops->destroy(state.text.c_str(), &err) == 0);
}

TEST_CASE("features reports v1, v2 and no systemd") {
  Plugin plugin;
  keel_error err{};
  Sink out;
  REQUIRE(plugin.ops->features(&out.raw, &err) == 0);
  CHECK(out.text == R"({"v1":true,"v2":true,"systemd":false,"systemdUser":false,"rdma":true})");
  CHECK(std::string(plugin.desc->name) == "cgroupfs");
}

TEST_CASE("the real v1 kernel files accept every memory, cpu, blkio and pids spelling we write") {
  if (!hybrid_host()) return;
  Plugin plugin;
  TestCgroup cg;
  keel_error err{};
  Sink state;
  int clone_fd = -1;
  int rc = plugin.ops->create(
      request(cg, R"({"memory":{"limit":134217728,"reservation":67108864,"swap":268435456,
                                "swappiness":10,"disableOOMKiller":true,"useHierarchy":true},
                     "cpu":{"shares":256,"quota":50000,"period":100000,"burst":10000,
                            "cpus":"0","mems":"0"},
                     "blockIO":{"weight":500},
                     "pids":{"limit":-1}})")
          .c_str(),
      &state.raw, &clone_fd, &err);
  REQUIRE_MESSAGE(rc == 0, err.message);
  std::string m = cg.dir("memory"), c = cg.dir("cpu");
  CHECK(slurp(m + "/memory.limit_in_bytes") == "134217728");
  CHECK(slurp(m + "/memory.soft_limit_in_bytes") == "67108864");
  if (fs::exists(m + "/memory.memsw.limit_in_bytes"))
    CHECK(slurp(m + "/memory.memsw.limit_in_bytes") == "268435456");
  CHECK(slurp(m + "/memory.swappiness") == "10");
  CHECK(slurp(m + "/memory.oom_control").find("oom_kill_disable 1") != std::string::npos);
  CHECK(slurp(c + "/cpu.shares") == "256");
  CHECK(slurp(c + "/cpu.cfs_period_us") == "100000");
  CHECK(slurp(c + "/cpu.cfs_burst_us") == "10000");
  CHECK(slurp(cg.dir("cpuset") + "/cpuset.cpus") == "0");
  CHECK(slurp(cg.dir("pids") + "/pids.max") == "max");
  std::string blkio = cg.dir("blkio");
  CHECK(slurp(fs::exists(blkio + "/blkio.weight") ? blkio + "/blkio.weight"
                                                  : blkio + "/blkio.bfq.weight")
            .find("500") != std::string::npos);

  // Shrinking both limits must write memory before memsw (memsw >= memory at every step).
  rc =
      plugin.ops->set(state.text.c_str(), R"({"memory":{"limit":33554432,"swap":67108864}})", &err);
  REQUIRE_MESSAGE(rc == 0, err.message);
  CHECK(slurp(m + "/memory.limit_in_bytes") == "33554432");
  // Growing them must write memsw first.
  rc = plugin.ops->set(state.text.c_str(), R"({"memory":{"limit":536870912,"swap":1073741824}})",
                       &err);
  REQUIRE_MESSAGE(rc == 0, err.message);
  CHECK(slurp(m + "/memory.limit_in_bytes") == "536870912");
  REQUIRE(plugin.ops->destroy(state.text.c_str(), &err) == 0);
}
