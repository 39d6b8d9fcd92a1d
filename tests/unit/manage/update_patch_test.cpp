// update's patch: runc's flags, runc's "0 = unchanged" rule, merging and storing in config.
#include <doctest/doctest.h>

#include "keel/manage.hpp"

using namespace keel::manage;

TEST_CASE("patch_from_flags turns runc's flags into a LinuxResources patch") {
  auto p = patch_from_flags({{"memory", "64m"},
                             {"memory-swap", "-1"},
                             {"memory-reservation", "32m"},
                             {"cpu-share", "512"},
                             {"cpu-quota", "-1"},
                             {"cpu-period", "100000"},
                             {"cpu-burst", "0"},
                             {"cpu-rt-period", "1000000"},
                             {"cpu-rt-runtime", "950000"},
                             {"cpuset-cpus", "0-1"},
                             {"cpuset-mems", "0"},
                             {"cpu-idle", "1"},
                             {"pids-limit", "100"},
                             {"blkio-weight", "500"}});
  REQUIRE(p.has_value());
  auto n = normalize_patch(*p);
  REQUIRE(n.has_value());
  CHECK(*n ==
        R"({"memory":{"limit":67108864,"reservation":33554432,"swap":-1},)"
        R"("cpu":{"shares":512,"quota":-1,"period":100000,"burst":0,"realtimeRuntime":950000,)"
        R"("realtimePeriod":1000000,"cpus":"0-1","mems":"0","idle":1},)"
        R"("blockIO":{"weight":500},"pids":{"limit":100}})");
}

TEST_CASE("patch_from_flags reports runc's value errors") {
  CHECK(patch_from_flags({{"memory", "lots"}}).error().message ==
        "invalid value for memory: invalid size: 'lots'");
  CHECK(patch_from_flags({{"cpu-share", "-5"}}).error().message ==
        "invalid value for cpu-share: strconv.ParseUint: parsing \"-5\": invalid syntax");
  CHECK(patch_from_flags({{"cpu-quota", "1e3"}}).error().message ==
        "invalid value for cpu-quota: strconv.ParseInt: parsing \"1e3\": invalid syntax");
  CHECK(patch_from_flags({{"cpu-period", "99999999999999999999"}}).error().message ==
        "invalid value for cpu-period: strconv.ParseUint: parsing \"99999999999999999999\": "
        "value out of range");
  CHECK(patch_from_flags({{"cpu-idle", "x"}}).error().message ==
        "invalid value for cpu-idle: strconv.ParseInt: parsing \"x\": invalid syntax");
}

TEST_CASE("kernel memory flags are parsed but not applied") {
  auto p = patch_from_flags({{"kernel-memory", "10m"}, {"kernel-memory-tcp", "1m"}});
  REQUIRE(p.has_value());
  CHECK(normalize_patch(*p).value() == "{}");
  CHECK_FALSE(patch_from_flags({{"kernel-memory", "bad"}}).has_value());
}

TEST_CASE("normalize_patch drops runc's unset zeros, devices and what update ignores") {
  // containerd's shape for `docker update --memory 48m`.
  auto n = normalize_patch(
      R"({"devices":[{"allow":true,"access":"rwm"}],"memory":{"limit":50331648,"swap":0,)"
      R"("reservation":0,"kernel":0,"swappiness":10},"cpu":{"shares":0,"quota":0,"period":0,)"
      R"("cpus":"","mems":""},"pids":{"limit":0},"blockIO":{"weight":0},)"
      R"("hugepageLimits":[{"pageSize":"2MB","limit":0}],"unified":{"memory.high":"max"}})");
  REQUIRE(n.has_value());
  CHECK(*n == R"({"memory":{"limit":50331648},"unified":{"memory.high":"max"}})");
  CHECK(normalize_patch("null").value() == "{}");
  CHECK(normalize_patch(R"({"memory":null})").value() == "{}");
}

TEST_CASE("normalize_patch refuses wrong JSON types and malformed input") {
  CHECK(normalize_patch(R"({"memory":{"limit":"x"}})").error().message ==
        "resources: memory.limit: expected a signed 64-bit integer");
  CHECK(normalize_patch(R"({"cpu":{"shares":-1}})").error().message ==
        "resources: cpu.shares: expected an unsigned 64-bit integer");
  CHECK(normalize_patch(R"({"blockIO":{"weight":70000}})").error().message ==
        "resources: blockIO.weight: expected an integer from 0 to 65535");
  CHECK(normalize_patch(R"({"cpu":[]})").error().message == "resources: cpu: expected an object");
  CHECK(normalize_patch(R"({"unified":{"a":1}})").error().message ==
        "resources: unified.a: expected a string");
  CHECK(normalize_patch("[]").error().message == "decoding resources: expected a JSON object");
  auto eof = normalize_patch(R"({"memory":)");
  REQUIRE_FALSE(eof.has_value());
  CHECK(eof.error().message.starts_with("decoding resources: invalid JSON at offset"));
}

TEST_CASE("merge_json keeps the base's other values; quota alone keeps the old period") {
  auto m =
      merge_json(R"({"devices":[{"allow":false,"access":"rwm"}],"memory":{"limit":1,"swap":2},)"
                 R"("cpu":{"quota":10,"period":100}})",
                 R"({"memory":{"limit":5},"cpu":{"quota":20},"pids":{"limit":3}})");
  REQUIRE(m.has_value());
  CHECK(*m == R"({"devices":[{"allow":false,"access":"rwm"}],"memory":{"limit":5,"swap":2},)"
              R"("cpu":{"quota":20,"period":100},"pids":{"limit":3}})");
  CHECK(merge_json("{}", R"({"a":[1]})").value() == R"({"a":[1]})");
}

TEST_CASE("config_resources and config_with_resources edit only linux.resources") {
  std::string config =
      R"({"ociVersion":"1.0.2","process":{"args":["sh"]},"linux":{"cgroupsPath":"/x",)"
      R"("resources":{"memory":{"limit":1}}}})";
  CHECK(config_resources(config).value() == R"({"memory":{"limit":1}})");
  CHECK(config_resources(R"({"ociVersion":"1.0.2"})").value() == "{}");
  CHECK(config_resources(R"({"linux":{"resources":null}})").value() == "{}");
  auto updated = config_with_resources(config, R"({"memory":{"limit":2}})");
  REQUIRE(updated.has_value());
  CHECK(*updated ==
        R"({"ociVersion":"1.0.2","process":{"args":["sh"]},"linux":{"cgroupsPath":"/x",)"
        R"("resources":{"memory":{"limit":2}}}})");
  CHECK(config_with_resources(R"({"ociVersion":"1.0.2"})", "{}").value() ==
        R"({"ociVersion":"1.0.2","linux":{"resources":{}}})");
}
