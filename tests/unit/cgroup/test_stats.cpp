#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "keel/cgroup/stats.hpp"
#include "temp_tree.hpp"

using namespace keel::cgroup;

namespace {

rapidjson::Document stats(const CgroupSet& s) {
  auto json = stats_json(s);
  REQUIRE(json);
  rapidjson::Document d;
  d.Parse(json->c_str());
  REQUIRE_FALSE(d.HasParseError());
  return d;
}

}  // namespace

TEST_CASE("v1 stats read cpuacct, memory, pids, blkio and hugetlb into runc's shape") {
  TempTree t;
  t.put("cpuacct/c/cpuacct.usage", "3000\n");
  t.put("cpuacct/c/cpuacct.usage_percpu", "1000 2000 \n");
  t.put("cpuacct/c/cpuacct.stat", "user 2\nsystem 1\n");
  t.put("cpu/c/cpu.stat", "nr_periods 10\nnr_throttled 3\nthrottled_time 500\n");
  t.put("memory/c/memory.usage_in_bytes", "4096\n");
  t.put("memory/c/memory.max_usage_in_bytes", "8192\n");
  t.put("memory/c/memory.limit_in_bytes", "1048576\n");
  t.put("memory/c/memory.failcnt", "2\n");
  t.put("memory/c/memory.memsw.usage_in_bytes", "5000\n");
  t.put("memory/c/memory.stat", "cache 123\nrss 456\n");
  t.put("pids/c/pids.current", "3\n");
  t.put("pids/c/pids.max", "max\n");
  t.put("blkio/c/blkio.throttle.io_service_bytes_recursive",
        "8:0 Read 4096\n8:0 Write 512\nTotal 4608\n");
  t.put("blkio/c/blkio.throttle.io_serviced_recursive", "8:0 Read 1\n");
  t.put("hugetlb/c/hugetlb.2MB.usage_in_bytes", "2097152\n");
  t.put("hugetlb/c/hugetlb.2MB.max_usage_in_bytes", "4194304\n");
  t.put("hugetlb/c/hugetlb.2MB.failcnt", "1\n");
  t.put("hugetlb/c/hugetlb.2MB.limit_in_bytes", "0\n");
  CgroupSet s;
  for (const char* c : {"cpuacct", "cpu", "memory", "pids", "blkio", "hugetlb"})
    s.dirs[c] = t.path(std::string(c) + "/c");
  auto d = stats(s);
  CHECK(d["cpu"]["usage"]["total"].GetUint64() == 3000);
  CHECK(d["cpu"]["usage"]["percpu"].Size() == 2);
  CHECK(d["cpu"]["usage"]["user"].GetUint64() > d["cpu"]["usage"]["kernel"].GetUint64());
  CHECK(d["cpu"]["throttling"]["throttledPeriods"].GetUint64() == 3);
  CHECK(d["memory"]["cache"].GetUint64() == 123);
  CHECK(d["memory"]["usage"]["usage"].GetUint64() == 4096);
  CHECK(d["memory"]["usage"]["max"].GetUint64() == 8192);
  CHECK(d["memory"]["usage"]["limit"].GetUint64() == 1048576);
  CHECK(d["memory"]["usage"]["failcnt"].GetUint64() == 2);
  CHECK(d["memory"]["swap"]["usage"].GetUint64() == 5000);
  CHECK(d["memory"]["raw"]["rss"].GetUint64() == 456);
  CHECK(d["pids"]["current"].GetUint64() == 3);
  CHECK_FALSE(d["pids"].HasMember("limit"));  // max is left out, as runc does
  auto& bytes = d["blkio"]["ioServiceBytesRecursive"];
  REQUIRE(bytes.Size() == 2);
  CHECK(std::string(bytes[0]["op"].GetString()) == "Read");
  CHECK(bytes[0]["major"].GetUint64() == 8);
  CHECK(bytes[1]["value"].GetUint64() == 512);
  CHECK(d["hugetlb"]["2MB"]["usage"].GetUint64() == 2097152);
  CHECK(d["hugetlb"]["2MB"]["max"].GetUint64() == 4194304);
  CHECK(d["hugetlb"]["2MB"]["failcnt"].GetUint64() == 1);
}

TEST_CASE("v2 stats read cpu.stat, memory, io.stat and hugetlb events") {
  TempTree t;
  t.put("c/cpu.stat", "usage_usec 7\nuser_usec 4\nsystem_usec 3\nnr_periods 2\n");
  t.put("c/memory.current", "100\n");
  t.put("c/memory.max", "max\n");
  t.put("c/memory.swap.current", "10\n");
  t.put("c/memory.swap.max", "max\n");
  t.put("c/memory.events", "low 0\nhigh 0\nmax 4\noom 1\n");
  t.put("c/memory.stat", "anon 50\nfile 40\n");
  t.put("c/pids.current", "1\n");
  t.put("c/pids.max", "20\n");
  t.put("c/io.stat", "8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n");
  t.put("c/hugetlb.2MB.current", "0\n");
  t.put("c/hugetlb.2MB.events", "max 5\n");
  CgroupSet s;
  s.mode = Mode::v2;
  s.dirs["unified"] = t.path("c");
  auto d = stats(s);
  CHECK(d["cpu"]["usage"]["total"].GetUint64() == 7000);
  CHECK(d["cpu"]["usage"]["user"].GetUint64() == 4000);
  CHECK(d["memory"]["usage"]["usage"].GetUint64() == 100);
  CHECK(d["memory"]["usage"]["failcnt"].GetUint64() == 4);
  CHECK(d["memory"]["swap"]["usage"].GetUint64() == 110);  // memory + swap, as on v1
  CHECK(d["memory"]["cache"].GetUint64() == 40);
  CHECK(d["pids"]["limit"].GetUint64() == 20);
  CHECK(d["blkio"]["ioServiceBytesRecursive"].Size() == 2);
  CHECK(d["blkio"]["ioServicedRecursive"][1]["value"].GetUint64() == 2);
  CHECK(d["hugetlb"]["2MB"]["failcnt"].GetUint64() == 5);
}

TEST_CASE("stats of controllers the host lacks are empty objects, not errors") {
  CgroupSet s;
  auto d = stats(s);
  CHECK(d["memory"].IsObject());
  CHECK(d["hugetlb"].ObjectEmpty());
}

TEST_CASE("v1 cpuset stats expand the cpu and mem lists and carry every flag runc reports") {
  TempTree t;
  t.put("cpuset/c/cpuset.cpus", "0-2,5\n");
  t.put("cpuset/c/cpuset.mems", "0\n");
  t.put("cpuset/c/cpuset.cpu_exclusive", "1\n");
  t.put("cpuset/c/cpuset.mem_hardwall", "0\n");
  t.put("cpuset/c/cpuset.mem_exclusive", "1\n");
  t.put("cpuset/c/cpuset.memory_migrate", "0\n");
  t.put("cpuset/c/cpuset.memory_spread_page", "1\n");
  t.put("cpuset/c/cpuset.memory_spread_slab", "0\n");
  t.put("cpuset/c/cpuset.memory_pressure", "7\n");
  t.put("cpuset/c/cpuset.sched_load_balance", "1\n");
  t.put("cpuset/c/cpuset.sched_relax_domain_level", "-1\n");
  CgroupSet s;
  s.dirs["cpuset"] = t.path("cpuset/c");
  auto d = stats(s);
  REQUIRE(d.HasMember("cpuset"));
  auto& c = d["cpuset"];
  REQUIRE(c["cpus"].Size() == 4);
  CHECK(c["cpus"][2].GetUint64() == 2);
  CHECK(c["cpus"][3].GetUint64() == 5);
  REQUIRE(c["mems"].Size() == 1);
  CHECK(c["mems"][0].GetUint64() == 0);
  CHECK(c["cpu_exclusive"].GetUint64() == 1);
  CHECK(c["mem_hardwall"].GetUint64() == 0);
  CHECK(c["mem_exclusive"].GetUint64() == 1);
  CHECK(c["memory_migrate"].GetUint64() == 0);
  CHECK(c["memory_spread_page"].GetUint64() == 1);
  CHECK(c["memory_spread_slab"].GetUint64() == 0);
  CHECK(c["memory_pressure"].GetUint64() == 7);
  CHECK(c["sched_load_balance"].GetUint64() == 1);
  CHECK(c["sched_relax_domain_level"].GetInt64() == -1);
  // runc's key order: cpu, cpuset, memory.
  auto it = d.MemberBegin();
  CHECK(std::string((it++)->name.GetString()) == "cpu");
  CHECK(std::string(it->name.GetString()) == "cpuset");
}

TEST_CASE("an empty cpuset list is left out like runc's omitempty, the flags stay") {
  TempTree t;
  t.put("cpuset/c/cpuset.cpus", "\n");
  t.put("cpuset/c/cpuset.mems", "\n");
  CgroupSet s;
  s.dirs["cpuset"] = t.path("cpuset/c");
  auto d = stats(s);
  CHECK_FALSE(d["cpuset"].HasMember("cpus"));
  CHECK_FALSE(d["cpuset"].HasMember("mems"));
  CHECK(d["cpuset"]["cpu_exclusive"].GetUint64() == 0);
  CHECK(d["cpuset"]["sched_relax_domain_level"].GetInt64() == 0);
}

TEST_CASE("v2 cpuset stats list the effective cpus and mems, the v1-only flags as zero") {
  TempTree t;
  t.put("c/cpuset.cpus.effective", "0-1\n");
  t.put("c/cpuset.mems.effective", "0\n");
  CgroupSet s;
  s.mode = Mode::v2;
  s.dirs["unified"] = t.path("c");
  auto d = stats(s);
  CHECK(d["cpuset"]["cpus"].Size() == 2);
  CHECK(d["cpuset"]["mems"].Size() == 1);
  CHECK(d["cpuset"]["sched_load_balance"].GetUint64() == 0);
}
