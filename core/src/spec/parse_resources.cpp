// config.linux.resources (also the body of `keel update -r`): parsing and per-field checks.
#include "parsers.hpp"

namespace keel::spec::detail {

Status get(Reader& r, const Value& v, DeviceRule& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "allow", out.allow));
  KEEL_TRY(field(r, v, "type", out.type));
  KEEL_TRY(field(r, v, "major", out.major));
  KEEL_TRY(field(r, v, "minor", out.minor));
  KEEL_TRY(field(r, v, "access", out.access));
  if (!out.type.empty() && out.type != "a" && out.type != "b" && out.type != "c") {
    auto seg = r.key("type");
    return r.fail("invalid cgroup device type " + quote(out.type));
  }
  auto seg = r.key("access");
  if (out.access.empty()) return r.fail("device access cannot be empty");
  if (out.access.find_first_not_of("rwm") != std::string::npos)
    return r.fail("invalid device access " + quote(out.access) + " (expected letters of \"rwm\")");
  return {};
}

Status get(Reader& r, const Value& v, Memory& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "limit", out.limit));
  KEEL_TRY(field(r, v, "reservation", out.reservation));
  KEEL_TRY(field(r, v, "swap", out.swap));
  KEEL_TRY(field(r, v, "kernel", out.kernel));
  KEEL_TRY(field(r, v, "kernelTCP", out.kernel_tcp));
  KEEL_TRY(field(r, v, "swappiness", out.swappiness));
  KEEL_TRY(field(r, v, "disableOOMKiller", out.disable_oom_killer));
  KEEL_TRY(field(r, v, "useHierarchy", out.use_hierarchy));
  KEEL_TRY(field(r, v, "checkBeforeUpdate", out.check_before_update));
  return {};
}

Status get(Reader& r, const Value& v, Cpu& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "shares", out.shares));
  KEEL_TRY(field(r, v, "quota", out.quota));
  KEEL_TRY(field(r, v, "burst", out.burst));
  KEEL_TRY(field(r, v, "period", out.period));
  KEEL_TRY(field(r, v, "realtimeRuntime", out.realtime_runtime));
  KEEL_TRY(field(r, v, "realtimePeriod", out.realtime_period));
  KEEL_TRY(field(r, v, "cpus", out.cpus));
  KEEL_TRY(field(r, v, "mems", out.mems));
  KEEL_TRY(field(r, v, "idle", out.idle));
  return {};
}

Status get(Reader& r, const Value& v, Pids& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "limit", out.limit));
  return {};
}

Status get(Reader& r, const Value& v, WeightDevice& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "major", out.major));
  KEEL_TRY(field(r, v, "minor", out.minor));
  KEEL_TRY(field(r, v, "weight", out.weight));
  KEEL_TRY(field(r, v, "leafWeight", out.leaf_weight));
  return {};
}

Status get(Reader& r, const Value& v, ThrottleDevice& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "major", out.major));
  KEEL_TRY(field(r, v, "minor", out.minor));
  KEEL_TRY(field(r, v, "rate", out.rate));
  return {};
}

Status get(Reader& r, const Value& v, BlockIo& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "weight", out.weight));
  KEEL_TRY(field(r, v, "leafWeight", out.leaf_weight));
  KEEL_TRY(field(r, v, "weightDevice", out.weight_device));
  KEEL_TRY(field(r, v, "throttleReadBpsDevice", out.throttle_read_bps_device));
  KEEL_TRY(field(r, v, "throttleWriteBpsDevice", out.throttle_write_bps_device));
  KEEL_TRY(field(r, v, "throttleReadIOPSDevice", out.throttle_read_iops_device));
  KEEL_TRY(field(r, v, "throttleWriteIOPSDevice", out.throttle_write_iops_device));
  return {};
}

Status get(Reader& r, const Value& v, HugepageLimit& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "pageSize", out.page_size));
  KEEL_TRY(field(r, v, "limit", out.limit));
  return {};
}

Status get(Reader& r, const Value& v, NetPriority& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "name", out.name));
  KEEL_TRY(field(r, v, "priority", out.priority));
  return {};
}

Status get(Reader& r, const Value& v, Network& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "classID", out.class_id));
  KEEL_TRY(field(r, v, "priorities", out.priorities));
  return {};
}

Status get(Reader& r, const Value& v, Rdma& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "hcaHandles", out.hca_handles));
  KEEL_TRY(field(r, v, "hcaObjects", out.hca_objects));
  return {};
}

Status get(Reader& r, const Value& v, Resources& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "devices", out.devices));
  KEEL_TRY(field(r, v, "memory", out.memory));
  KEEL_TRY(field(r, v, "cpu", out.cpu));
  KEEL_TRY(field(r, v, "pids", out.pids));
  KEEL_TRY(field(r, v, "blockIO", out.block_io));
  KEEL_TRY(field(r, v, "hugepageLimits", out.hugepage_limits));
  KEEL_TRY(field(r, v, "network", out.network));
  KEEL_TRY(field(r, v, "rdma", out.rdma));
  KEEL_TRY(field(r, v, "unified", out.unified));
  return {};
}

}  // namespace keel::spec::detail
