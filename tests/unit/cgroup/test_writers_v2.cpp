#include <doctest/doctest.h>

#include "keel/cgroup/resources.hpp"
#include "keel/cgroup/writers.hpp"
#include "temp_tree.hpp"

using namespace keel::cgroup;

namespace {

void lay_out_v2(const TempTree& t) {
  for (const char* f :
       {"c/memory.max", "c/memory.swap.max", "c/memory.low", "c/memory.current", "c/cpu.weight",
        "c/cpu.max", "c/cpu.max.burst", "c/cpu.idle", "c/cpuset.cpus", "c/cpuset.mems",
        "c/pids.max", "c/io.weight", "c/io.max", "c/hugetlb.2MB.max", "c/hugetlb.2MB.rsvd.max",
        "c/rdma.max", "c/memory.high"})
    t.put(f);
}

CgroupSet v2_set(const TempTree& t) {
  CgroupSet s;
  s.mode = Mode::v2;
  s.dirs["unified"] = t.path("c");
  return s;
}

SetOptions no_bpf() {
  SetOptions o;
  o.skip_device_bpf = true;
  return o;
}

Resources parse(const char* json) {
  auto r = parse_resources(json);
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  return *r;
}

}  // namespace

TEST_CASE("v2 writers use v2 files and runc's conversions") {
  TempTree t;
  lay_out_v2(t);
  auto r = set_resources(v2_set(t), parse(R"({
    "memory": {"limit": 1073741824, "reservation": 536870912, "swap": 1610612736,
               "swappiness": 60, "kernel": 1, "disableOOMKiller": true},
    "cpu": {"shares": 1024, "quota": 50000, "period": 100000, "burst": 1000,
            "cpus": "0", "mems": "0", "idle": 0},
    "pids": {"limit": 42},
    "blockIO": {"weight": 500, "weightDevice": [{"major": 8, "minor": 16, "weight": 10}],
                "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 1048576}]},
    "hugepageLimits": [{"pageSize": "2MB", "limit": 2097152}],
    "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
    "unified": {"memory.high": "900M"},
    "devices": [{"allow": false, "access": "rwm"}]
  })"),
                         no_bpf());
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  CHECK(t.get("c/memory.max") == "1073741824");
  CHECK(t.get("c/memory.swap.max") == "536870912");  // memsw 1.5G - memory 1G
  CHECK(t.get("c/memory.low") == "536870912");
  CHECK(t.get("c/cpu.weight") == "39");  // shares 1024
  CHECK(t.get("c/cpu.max") == "50000 100000");
  CHECK(t.get("c/cpu.max.burst") == "1000");
  CHECK(t.get("c/cpu.idle") == "0");
  CHECK(t.get("c/cpuset.cpus") == "0");
  CHECK(t.get("c/cpuset.mems") == "0");
  CHECK(t.get("c/pids.max") == "42");
  // One file, several writes: the last one stays (the device's weight).
  CHECK(t.get("c/io.weight") == "8:16 1");
  CHECK(t.get("c/io.max") == "8:0 rbps=1048576");
  CHECK(t.get("c/hugetlb.2MB.max") == "2097152");
  CHECK(t.get("c/hugetlb.2MB.rsvd.max") == "2097152");
  CHECK(t.get("c/rdma.max") == "mlx5_1 hca_handle=3 hca_object=10000");
  CHECK(t.get("c/memory.high") == "900M");
}

TEST_CASE("v2 blkio weight alone becomes io.weight default with the converted value") {
  TempTree t;
  lay_out_v2(t);
  REQUIRE(set_v2(t.path("c"), parse(R"({"blockIO":{"weight":1000}})"), no_bpf()));
  CHECK(t.get("c/io.weight") == "default 10000");
}

TEST_CASE("v2 cpu quota without a period keeps the kernel's period, -1 quota is max") {
  TempTree t;
  lay_out_v2(t);
  REQUIRE(set_v2(t.path("c"), parse(R"({"cpu":{"quota":20000}})"), no_bpf()));
  CHECK(t.get("c/cpu.max") == "20000");
  REQUIRE(set_v2(t.path("c"), parse(R"({"cpu":{"quota":-1,"period":50000}})"), no_bpf()));
  CHECK(t.get("c/cpu.max") == "max 50000");
}

TEST_CASE("v2 memory -1 means max for both memory and swap, pids 0 means max") {
  TempTree t;
  lay_out_v2(t);
  REQUIRE(set_v2(t.path("c"), parse(R"({"memory":{"limit":-1},"pids":{"limit":0}})"), no_bpf()));
  CHECK(t.get("c/memory.max") == "max");
  CHECK(t.get("c/memory.swap.max") == "max");
  CHECK(t.get("c/pids.max") == "max");
}

TEST_CASE("v2 refuses swap below memory, realtime and net_cls with clear errors") {
  TempTree t;
  lay_out_v2(t);
  auto swap = set_v2(t.path("c"), parse(R"({"memory":{"limit":2048,"swap":1024}})"), no_bpf());
  REQUIRE_FALSE(swap);
  CHECK(swap.error().message.find("memory+swap") != std::string::npos);
  auto rt = set_v2(t.path("c"), parse(R"({"cpu":{"realtimeRuntime":1000}})"), no_bpf());
  REQUIRE_FALSE(rt);
  CHECK(rt.error().message.find("realtime") != std::string::npos);
  auto net = set_v2(t.path("c"), parse(R"({"network":{"classID":1}})"), no_bpf());
  REQUIRE_FALSE(net);
  CHECK(net.error().message.find("net_cls") != std::string::npos);
}

TEST_CASE("v2 checkBeforeUpdate compares with memory.current") {
  TempTree t;
  lay_out_v2(t);
  t.put("c/memory.current", "10000\n");
  CHECK_FALSE(set_v2(t.path("c"), parse(R"({"memory":{"limit":9999,"checkBeforeUpdate":true}})"),
                     no_bpf()));
  CHECK(set_v2(t.path("c"), parse(R"({"memory":{"limit":10000,"checkBeforeUpdate":true}})"),
               no_bpf()));
  CHECK(t.get("c/memory.max") == "10000");
}

TEST_CASE("v2 unified keys for a missing controller name the controller, odd keys are refused") {
  TempTree t;
  lay_out_v2(t);
  auto r = set_v2(t.path("c"), parse(R"({"unified":{"misc.max":"x 1"}})"), no_bpf());
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("\"misc\" not available") != std::string::npos);
  CHECK_FALSE(set_v2(t.path("c"), parse(R"({"unified":{"../memory.max":"1"}})"), no_bpf()));
}
