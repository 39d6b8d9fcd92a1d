#include <doctest/doctest.h>

#include "keel/cgroup/devices.hpp"
#include "keel/cgroup/resources.hpp"
#include "keel/cgroup/writers.hpp"
#include "temp_tree.hpp"

using namespace keel::cgroup;

namespace {

// runc's default device rules as a new cgroup gets them: one devices.allow write each
// (TempTree::get drops the last newline).
const char* kDefaultAllows =
    "b *:* m\nc *:* m\nc 1:3 rwm\nc 1:5 rwm\nc 1:7 rwm\nc 1:8 rwm\nc 1:9 rwm\nc 5:0 rwm\n"
    "c 5:2 rwm\nc 10:200 rwm\nc 136:* rwm";

const char* kControllers[] = {"cpu",   "cpuacct", "cpuset",  "memory",  "devices",  "freezer",
                              "blkio", "pids",    "hugetlb", "net_cls", "net_prio", "rdma"};

// Every v1 file the writers may touch, empty, under <controller>/c.
void lay_out_v1(const TempTree& t) {
  const char* files[] = {"memory/c/memory.limit_in_bytes",
                         "memory/c/memory.memsw.limit_in_bytes",
                         "memory/c/memory.soft_limit_in_bytes",
                         "memory/c/memory.kmem.limit_in_bytes",
                         "memory/c/memory.kmem.tcp.limit_in_bytes",
                         "memory/c/memory.swappiness",
                         "memory/c/memory.oom_control",
                         "memory/c/memory.use_hierarchy",
                         "memory/c/memory.usage_in_bytes",
                         "cpu/c/cpu.shares",
                         "cpu/c/cpu.cfs_period_us",
                         "cpu/c/cpu.cfs_quota_us",
                         "cpu/c/cpu.cfs_burst_us",
                         "cpu/c/cpu.rt_period_us",
                         "cpu/c/cpu.rt_runtime_us",
                         "cpu/c/cpu.idle",
                         "cpuset/c/cpuset.cpus",
                         "cpuset/c/cpuset.mems",
                         "pids/c/pids.max",
                         "blkio/c/blkio.weight",
                         "blkio/c/blkio.leaf_weight",
                         "blkio/c/blkio.weight_device",
                         "blkio/c/blkio.leaf_weight_device",
                         "blkio/c/blkio.throttle.read_bps_device",
                         "blkio/c/blkio.throttle.write_bps_device",
                         "blkio/c/blkio.throttle.read_iops_device",
                         "blkio/c/blkio.throttle.write_iops_device",
                         "hugetlb/c/hugetlb.2MB.limit_in_bytes",
                         "hugetlb/c/hugetlb.2MB.rsvd.limit_in_bytes",
                         "net_cls/c/net_cls.classid",
                         "net_prio/c/net_prio.ifpriomap",
                         "rdma/c/rdma.max",
                         "devices/c/devices.allow",
                         "devices/c/devices.deny"};
  for (const char* f : files) t.put(f);
  t.put("memory/c/memory.limit_in_bytes", "9223372036854771712\n");
}

CgroupSet v1_set(const TempTree& t) {
  CgroupSet s;
  s.mode = Mode::v1;
  for (const char* c : kControllers) s.dirs[c] = t.path(std::string(c) + "/c");
  return s;
}

Resources parse(const char* json) {
  auto r = parse_resources(json);
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  return *r;
}

const char* kEverything = R"({
  "memory": {"limit": 1073741824, "reservation": 536870912, "swap": 2147483648,
             "kernel": 65536000, "kernelTCP": 32768000, "swappiness": 60,
             "disableOOMKiller": true, "useHierarchy": true},
  "cpu": {"shares": 512, "quota": 50000, "period": 100000, "burst": 10000,
          "realtimeRuntime": 950000, "realtimePeriod": 1000000, "cpus": "0-1", "mems": "0",
          "idle": 1},
  "pids": {"limit": 100},
  "blockIO": {"weight": 500, "leafWeight": 300,
              "weightDevice": [{"major": 8, "minor": 0, "weight": 200, "leafWeight": 100}],
              "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}],
              "throttleWriteBpsDevice": [{"major": 8, "minor": 0, "rate": 2097152}],
              "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 100}],
              "throttleWriteIOPSDevice": [{"major": 8, "minor": 0, "rate": 200}]},
  "hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}],
  "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 5}]},
  "rdma": {"mlx5_1": {"hcaHandles": 3}},
  "devices": [{"allow": false, "access": "rwm"}, {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}]
})";

}  // namespace

TEST_CASE("v1 writers put every resources field in its v1 file") {
  TempTree t;
  lay_out_v1(t);
  auto r = set_v1(v1_set(t), parse(kEverything), {});
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  CHECK(t.get("memory/c/memory.limit_in_bytes") == "1073741824");
  CHECK(t.get("memory/c/memory.memsw.limit_in_bytes") == "2147483648");
  CHECK(t.get("memory/c/memory.soft_limit_in_bytes") == "536870912");
  CHECK(t.get("memory/c/memory.kmem.limit_in_bytes") == "65536000");
  CHECK(t.get("memory/c/memory.kmem.tcp.limit_in_bytes") == "32768000");
  CHECK(t.get("memory/c/memory.swappiness") == "60");
  CHECK(t.get("memory/c/memory.oom_control") == "1");
  CHECK(t.get("memory/c/memory.use_hierarchy") == "1");
  CHECK(t.get("cpu/c/cpu.shares") == "512");
  CHECK(t.get("cpu/c/cpu.cfs_quota_us") == "50000");
  CHECK(t.get("cpu/c/cpu.cfs_period_us") == "100000");
  CHECK(t.get("cpu/c/cpu.cfs_burst_us") == "10000");
  CHECK(t.get("cpu/c/cpu.rt_runtime_us") == "950000");
  CHECK(t.get("cpu/c/cpu.rt_period_us") == "1000000");
  CHECK(t.get("cpu/c/cpu.idle") == "1");
  CHECK(t.get("cpuset/c/cpuset.cpus") == "0-1");
  CHECK(t.get("cpuset/c/cpuset.mems") == "0");
  CHECK(t.get("pids/c/pids.max") == "100");
  CHECK(t.get("blkio/c/blkio.weight") == "500");
  CHECK(t.get("blkio/c/blkio.leaf_weight") == "300");
  CHECK(t.get("blkio/c/blkio.weight_device") == "8:0 200");
  CHECK(t.get("blkio/c/blkio.leaf_weight_device") == "8:0 100");
  CHECK(t.get("blkio/c/blkio.throttle.read_bps_device") == "8:0 1048576");
  CHECK(t.get("blkio/c/blkio.throttle.write_bps_device") == "8:0 2097152");
  CHECK(t.get("blkio/c/blkio.throttle.read_iops_device") == "8:0 100");
  CHECK(t.get("blkio/c/blkio.throttle.write_iops_device") == "8:0 200");
  CHECK(t.get("hugetlb/c/hugetlb.2MB.limit_in_bytes") == "4194304");
  CHECK(t.get("hugetlb/c/hugetlb.2MB.rsvd.limit_in_bytes") == "4194304");
  CHECK(t.get("net_cls/c/net_cls.classid") == "1048577");
  CHECK(t.get("net_prio/c/net_prio.ifpriomap") == "eth0 5");
  CHECK(t.get("rdma/c/rdma.max") == "mlx5_1 hca_handle=3 hca_object=max");
  // Deny-all, then the exceptions sorted by major, minor (the spec's "c 1:3 rw" merged into the
  // default "c 1:3 rwm"), one write each; the temp files collect them one per line.
  CHECK(t.get("devices/c/devices.allow") == kDefaultAllows);
  CHECK(t.get("devices/c/devices.deny") == "a");
}

TEST_CASE("v1 pids limit of 0 or below writes max") {
  TempTree t;
  lay_out_v1(t);
  REQUIRE(set_v1(v1_set(t), parse(R"({"pids":{"limit":0}})"), {}));
  CHECK(t.get("pids/c/pids.max") == "max");
  REQUIRE(set_v1(v1_set(t), parse(R"({"pids":{"limit":-1}})"), {}));
  CHECK(t.get("pids/c/pids.max") == "max");
}

TEST_CASE("v1 memory -1 without swap sets memsw unlimited too") {
  TempTree t;
  lay_out_v1(t);
  REQUIRE(set_v1(v1_set(t), parse(R"({"memory":{"limit":-1}})"), {}));
  CHECK(t.get("memory/c/memory.limit_in_bytes") == "-1");
  CHECK(t.get("memory/c/memory.memsw.limit_in_bytes") == "-1");
}

TEST_CASE("checkBeforeUpdate refuses a v1 limit below the current usage") {
  TempTree t;
  lay_out_v1(t);
  t.put("memory/c/memory.usage_in_bytes", "8192\n");
  auto r = set_v1(v1_set(t), parse(R"({"memory":{"limit":4096,"checkBeforeUpdate":true}})"), {});
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("below the current usage 8192") != std::string::npos);
  CHECK(t.get("memory/c/memory.limit_in_bytes") == "9223372036854771712");
}

TEST_CASE("swappiness above 100 is refused") {
  TempTree t;
  lay_out_v1(t);
  CHECK_FALSE(set_v1(v1_set(t), parse(R"({"memory":{"swappiness":101}})"), {}));
}

TEST_CASE("a requested controller the host lacks is an error naming it") {
  TempTree t;
  lay_out_v1(t);
  CgroupSet s = v1_set(t);
  s.dirs.erase("net_cls");
  auto r = set_v1(s, parse(R"({"network":{"classID":1}})"), {});
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("net_cls") != std::string::npos);
  // ... and it is fine when nothing asks for it.
  CHECK(set_v1(s, parse(R"({"pids":{"limit":5}})"), {}));
}

TEST_CASE("write errors name the file and the value") {
  TempTree t;
  CgroupSet s;
  s.mode = Mode::v1;
  s.dirs["memory"] = t.path("memory/c");
  t.mkdir("memory/c");
  auto r = set_v1(s, parse(R"({"memory":{"reservation":4}})"), {});
  REQUIRE_FALSE(r);
  CHECK(r.error().message == "writing " + t.path("memory/c/memory.soft_limit_in_bytes") +
                                 ": \"4\": No such file or directory");
  CHECK(r.error().code == ENOENT);
}

TEST_CASE("unified keys are refused on a v1-only host") {
  TempTree t;
  lay_out_v1(t);
  auto r = set_v1(v1_set(t), parse(R"({"unified":{"memory.high":"1G"}})"), {});
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("only cgroup v1") != std::string::npos);
}

TEST_CASE("hybrid writes hugetlb with v2 names in the unified dir and allows only its keys") {
  TempTree t;
  lay_out_v1(t);
  t.put("unified/c/hugetlb.2MB.max");
  t.put("unified/c/hugetlb.2MB.rsvd.max");
  t.put("unified/c/hugetlb.1GB.max");
  CgroupSet s = v1_set(t);
  s.mode = Mode::hybrid;
  s.dirs.erase("hugetlb");
  s.dirs["unified"] = t.path("unified/c");
  s.unified_controllers = {"hugetlb"};
  REQUIRE(set_v1(s, parse(R"({"hugepageLimits":[{"pageSize":"2MB","limit":2097152}],
                             "unified":{"hugetlb.1GB.max":"0"}})"),
                 {}));
  CHECK(t.get("unified/c/hugetlb.2MB.max") == "2097152");
  CHECK(t.get("unified/c/hugetlb.2MB.rsvd.max") == "2097152");
  CHECK(t.get("unified/c/hugetlb.1GB.max") == "0");
  auto r = set_v1(s, parse(R"({"unified":{"memory.high":"1G"}})"), {});
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("memory.high") != std::string::npos);
}

TEST_CASE("an absent devices list at create still denies all but runc's defaults") {
  TempTree t;
  lay_out_v1(t);
  SetOptions opts;
  opts.at_create = true;
  REQUIRE(set_v1(v1_set(t), parse("null"), opts));
  CHECK(t.get("devices/c/devices.deny") == "a");
  CHECK(t.get("devices/c/devices.allow") == kDefaultAllows);
  // An update without devices leaves them alone.
  t.put("devices/c/devices.deny", "untouched");
  REQUIRE(set_v1(v1_set(t), parse(R"({"pids":{"limit":3}})"), {}));
  CHECK(t.get("devices/c/devices.deny") == "untouched");
}

TEST_CASE("bad resources JSON names the field") {
  auto r = parse_resources(R"({"memory":{"limit":"lots"}})");
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("memory.limit") != std::string::npos);
  CHECK_FALSE(parse_resources(R"({"devices":[{"allow":true,"type":"x"}]})"));
  CHECK_FALSE(parse_resources(R"({"devices":[{"allow":true,"access":""}]})"));
  CHECK_FALSE(parse_resources("{"));
}

TEST_CASE("a v1 devices update from an allow-list writes only what changed, never deny-all") {
  TempTree t;
  lay_out_v1(t);
  // The kernel's list after a create with runc's defaults only.
  std::string list;
  auto policy =
      compile_device_rules(effective_device_rules({DeviceRule{false, 'a', -1, -1, "rwm"}}));
  REQUIRE(policy);
  for (const DeviceRule& r : policy->exceptions) list += device_rule_text(r) + "\n";
  t.put("devices/c/devices.list", list);
  t.put("devices/c/devices.deny", "untouched");
  REQUIRE(set_v1(v1_set(t), parse(R"({"devices":[{"allow":false,"access":"rwm"},
      {"allow":true,"type":"b","major":7,"minor":0,"access":"r"}]})"),
                 {}));
  CHECK(t.get("devices/c/devices.deny") == "untouched");
  CHECK(t.get("devices/c/devices.allow") == "b 7:0 r");
}
