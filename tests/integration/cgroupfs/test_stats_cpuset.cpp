// events --stats on a real container: the cpuset object holds what the container's v1 cpuset
// cgroup files say, with runc's field names; intel_rdt is present and empty without resctrl.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <sstream>

#include "harness.hpp"

using namespace keel::test;

namespace {

std::string cpuset_file(const Bundle& b, const std::string& name) {
  std::string v = read_file("/sys/fs/cgroup/cpuset" + b.cgroup_path() + "/cpuset." + name);
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
  return v;
}

// [1,2,3,5] -> "1-3,5": the kernel's own spelling of a cpu list, to compare with the file.
std::string as_ranges(const rapidjson::Value& list) {
  std::string out;
  for (rapidjson::SizeType i = 0; i < list.Size();) {
    uint64_t lo = list[i].GetUint64(), hi = lo;
    while (++i < list.Size() && list[i].GetUint64() == hi + 1) ++hi;
    if (!out.empty()) out += ',';
    out += std::to_string(lo) + (hi > lo ? "-" + std::to_string(hi) : "");
  }
  return out;
}

}  // namespace

TEST_CASE("events --stats fills cpuset from the container's v1 cpuset files") {
  if (!path_exists("/sys/fs/cgroup/cpuset/cpuset.cpus")) return;  // not a v1 cpuset host
  Bundle b("cpuset");
  b.set_command("sleep 30");
  b.set("/linux/resources/cpu", R"({"cpus":"1","mems":"0"})");
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  REQUIRE(b.start().exit_code == 0);
  auto r = b.keel({"events", "--stats", b.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  const auto& s = doc["data"]["cpuset"];
  REQUIRE(s.IsObject());
  REQUIRE(s.HasMember("cpus"));
  CHECK(as_ranges(s["cpus"]) == cpuset_file(b, "cpus"));
  CHECK(as_ranges(s["cpus"]) == "1");
  CHECK(as_ranges(s["mems"]) == cpuset_file(b, "mems"));
  for (const char* flag :
       {"cpu_exclusive", "mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page",
        "memory_spread_slab", "memory_pressure", "sched_load_balance"}) {
    CAPTURE(flag);
    REQUIRE(s.HasMember(flag));
    CHECK(std::to_string(s[flag].GetUint64()) == cpuset_file(b, flag));
  }
  CHECK(std::to_string(s["sched_relax_domain_level"].GetInt64()) ==
        cpuset_file(b, "sched_relax_domain_level"));
  // runc's shape: intel_rdt always there, empty unless resctrl is mounted and configured.
  REQUIRE(doc["data"].HasMember("intel_rdt"));
  if (!path_exists("/sys/fs/resctrl/info")) CHECK(doc["data"]["intel_rdt"].ObjectEmpty());
}

TEST_CASE("events --stats after update --cpuset-cpus reports the new cpu list") {
  if (!path_exists("/sys/fs/cgroup/cpuset/cpuset.cpus")) return;
  Bundle b("cpuset");
  b.set_command("sleep 30");
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  REQUIRE(b.start().exit_code == 0);
  auto u = b.keel({"update", "--cpuset-cpus", "0", b.id()});
  REQUIRE_MESSAGE(u.exit_code == 0, u.err);
  auto r = b.keel({"events", "--stats", b.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(as_ranges(doc["data"]["cpuset"]["cpus"]) == "0");
  CHECK(cpuset_file(b, "cpus") == "0");
}
