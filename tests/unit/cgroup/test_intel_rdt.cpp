#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "keel/cgroup/intel_rdt.hpp"
#include "temp_tree.hpp"

using namespace keel::cgroup;

namespace {

rapidjson::Document parsed(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  REQUIRE_FALSE(d.HasParseError());
  REQUIRE(d.IsObject());
  return d;
}

// A resctrl mount with CAT, MBA and both monitoring features, and one group "c1".
void lay_out_resctrl(const TempTree& t) {
  t.put("info/L3/cbm_mask", "fffff\n");
  t.put("info/L3/min_cbm_bits", "1\n");
  t.put("info/L3/num_closids", "16\n");
  t.put("info/MB/bandwidth_gran", "10\n");
  t.put("info/MB/delay_linear", "1\n");
  t.put("info/MB/min_bandwidth", "10\n");
  t.put("info/MB/num_closids", "8\n");
  t.put("info/L3_MON/mon_features", "llc_occupancy\nmbm_total_bytes\nmbm_local_bytes\n");
  t.put("schemata", "    L3:0=fffff;1=fffff\n    MB:0=100;1=100\n");
  t.put("c1/schemata", "    L3:0=000ff;1=000ff\n    MB:0=50;1=50\n");
  t.put("c1/mon_data/mon_L3_01/mbm_total_bytes", "300\n");
  t.put("c1/mon_data/mon_L3_01/mbm_local_bytes", "200\n");
  t.put("c1/mon_data/mon_L3_01/llc_occupancy", "4096\n");
  t.put("c1/mon_data/mon_L3_00/mbm_total_bytes", "30\n");
  t.put("c1/mon_data/mon_L3_00/mbm_local_bytes", "20\n");
  t.put("c1/mon_data/mon_L3_00/llc_occupancy", "0\n");
}

}  // namespace

TEST_CASE("intel_rdt stats read resctrl info, root and group schemata and monitoring counters") {
  TempTree t;
  lay_out_resctrl(t);
  auto d = parsed(intel_rdt_stats_json(t.root(), "c1"));
  CHECK(std::string(d["l3_cache_info"]["cbm_mask"].GetString()) == "fffff");
  CHECK(d["l3_cache_info"]["min_cbm_bits"].GetUint64() == 1);
  CHECK(d["l3_cache_info"]["num_closids"].GetUint64() == 16);
  CHECK(std::string(d["l3_cache_schema_root"].GetString()) == "L3:0=fffff;1=fffff");
  CHECK(std::string(d["l3_cache_schema"].GetString()) == "L3:0=000ff;1=000ff");
  CHECK(d["mem_bw_info"]["bandwidth_gran"].GetUint64() == 10);
  CHECK(d["mem_bw_info"]["delay_linear"].GetUint64() == 1);
  CHECK(d["mem_bw_info"]["min_bandwidth"].GetUint64() == 10);
  CHECK(d["mem_bw_info"]["num_closids"].GetUint64() == 8);
  CHECK(std::string(d["mem_bw_schema_root"].GetString()) == "MB:0=100;1=100");
  CHECK(std::string(d["mem_bw_schema"].GetString()) == "MB:0=50;1=50");
  REQUIRE(d["mbm_stats"].Size() == 2);  // one per L3 domain, in domain order
  CHECK(d["mbm_stats"][0]["mbm_total_bytes"].GetUint64() == 30);
  CHECK(d["mbm_stats"][1]["mbm_local_bytes"].GetUint64() == 200);
  REQUIRE(d["cmt_stats"].Size() == 2);
  CHECK(d["cmt_stats"][0]["llc_occupancy"].GetUint64() == 0);  // zero printed, as in runc
  CHECK(d["cmt_stats"][1]["llc_occupancy"].GetUint64() == 4096);
}

TEST_CASE("intel_rdt stats leave out the features the hardware does not have") {
  TempTree t;
  t.put("info/L3/cbm_mask", "7ff\n");
  t.put("schemata", "L3:0=7ff\n");
  t.put("c1/schemata", "L3:0=00f\n");
  auto d = parsed(intel_rdt_stats_json(t.root(), "c1"));
  CHECK(d.HasMember("l3_cache_info"));
  CHECK_FALSE(d["l3_cache_info"].HasMember("num_closids"));  // unreadable: omitted
  CHECK_FALSE(d.HasMember("mem_bw_info"));
  CHECK_FALSE(d.HasMember("mem_bw_schema"));
  CHECK_FALSE(d.HasMember("mbm_stats"));
  CHECK_FALSE(d.HasMember("cmt_stats"));
}

TEST_CASE("intel_rdt stats of a host without resctrl are an empty object") {
  TempTree t;
  CHECK(intel_rdt_stats_json(t.root(), "c1") == "{}");
  CHECK_FALSE(resctrl_mounted(t.root()));
}
