// config.linux (except resources and seccomp, which have their own files): parsing and the checks
// that concern a single field.
#include <set>

#include "keel/spec/names.hpp"
#include "parsers.hpp"

namespace keel::spec::detail {
namespace {

// A network interface name the kernel accepts (dev_valid_name): 1..15 bytes, not "." or "..",
// no '/', ':' or whitespace.
bool valid_ifname(std::string_view n) {
  if (n.empty() || n.size() > 15 || n == "." || n == "..") return false;
  for (char c : n)
    if (c == '/' || c == ':' || c == ' ' || c == '\t' || c == '\n') return false;
  return true;
}

Status check_namespaces(Reader& r, const std::vector<Namespace>& nss) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < nss.size(); ++i) {
    if (!seen.insert(nss[i].type).second) {
      auto seg = r.key("namespaces");
      auto idx = r.index(i);
      auto t = r.key("type");
      return r.fail("malformed spec file: duplicated ns " + quote(nss[i].type));
    }
  }
  return {};
}

}  // namespace

Status get(Reader& r, const Value& v, IdMapping& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "containerID", out.container_id));
  KEEL_TRY(field(r, v, "hostID", out.host_id));
  KEEL_TRY(field(r, v, "size", out.size));
  return {};
}

Status get(Reader& r, const Value& v, Namespace& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "type", out.type));
  KEEL_TRY(field(r, v, "path", out.path));
  if (!names::namespace_by_type(out.type)) {
    auto seg = r.key("type");
    return r.fail("namespace " + quote(out.type) + " does not exist");
  }
  if (!out.path.empty() && !is_abs(out.path)) {
    auto seg = r.key("path");
    return r.fail("namespace path " + quote(out.path) + " is not absolute");
  }
  return {};
}

Status get(Reader& r, const Value& v, Device& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "type", out.type));
  KEEL_TRY(required(r, v, "path", out.path));
  KEEL_TRY(field(r, v, "major", out.major));
  KEEL_TRY(field(r, v, "minor", out.minor));
  KEEL_TRY(field(r, v, "fileMode", out.file_mode));
  KEEL_TRY(field(r, v, "uid", out.uid));
  KEEL_TRY(field(r, v, "gid", out.gid));
  if (out.type != "c" && out.type != "b" && out.type != "u" && out.type != "p") {
    auto seg = r.key("type");
    return r.fail("invalid device type " + quote(out.type));
  }
  if (!is_abs(out.path)) {
    auto seg = r.key("path");
    return r.fail("device path " + quote(out.path) + " is not absolute");
  }
  // A fifo has no numbers; every other node needs both (runtime-spec: REQUIRED unless type is p).
  if (out.type != "p") {
    for (const char* n : {"major", "minor"}) {
      if (!find(v, n)) {
        auto seg = r.key(n);
        return r.fail(std::string(n) + " is required for device type " + quote(out.type));
      }
    }
  }
  return {};
}

Status get(Reader& r, const Value& v, IntelRdt& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "closID", out.clos_id));
  KEEL_TRY(field(r, v, "l3CacheSchema", out.l3_cache_schema));
  KEEL_TRY(field(r, v, "memBwSchema", out.mem_bw_schema));
  KEEL_TRY(field(r, v, "schemata", out.schemata));
  KEEL_TRY(field(r, v, "enableMonitoring", out.enable_monitoring));
  // The CLOS id names a directory under /sys/fs/resctrl.
  if (out.clos_id == "." || out.clos_id == ".." || out.clos_id.find('/') != std::string::npos) {
    auto seg = r.key("closID");
    return r.fail("invalid intelRdt.ClosID " + quote(out.clos_id));
  }
  return {};
}

Status get(Reader& r, const Value& v, TimeOffset& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "secs", out.secs));
  KEEL_TRY(field(r, v, "nanosecs", out.nanosecs));
  return {};
}

Status get(Reader& r, const Value& v, Personality& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "domain", out.domain));
  KEEL_TRY(field(r, v, "flags", out.flags));
  if (!names::lookup(names::personality_domains, out.domain)) {
    auto seg = r.key("domain");
    return r.fail("invalid personality domain " + out.domain);
  }
  return {};
}

Status get(Reader& r, const Value& v, MemoryPolicy& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "mode", out.mode));
  KEEL_TRY(field(r, v, "nodes", out.nodes));
  KEEL_TRY(field(r, v, "flags", out.flags));
  if (!names::lookup(names::memory_policy_modes, out.mode)) {
    auto seg = r.key("mode");
    return r.fail("invalid memory policy mode " + quote(out.mode));
  }
  for (std::size_t i = 0; i < out.flags.size(); ++i) {
    if (!names::lookup(names::memory_policy_flags, out.flags[i])) {
      auto seg = r.key("flags");
      auto idx = r.index(i);
      return r.fail("invalid memory policy flag " + quote(out.flags[i]));
    }
  }
  return {};
}

Status get(Reader& r, const Value& v, NetDevice& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "name", out.name));
  if (!out.name.empty() && !valid_ifname(out.name)) {
    auto seg = r.key("name");
    return r.fail("invalid network device name " + quote(out.name));
  }
  return {};
}

Status get(Reader& r, const Value& v, Linux& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "uidMappings", out.uid_mappings));
  KEEL_TRY(field(r, v, "gidMappings", out.gid_mappings));
  KEEL_TRY(field(r, v, "sysctl", out.sysctl));
  KEEL_TRY(field(r, v, "resources", out.resources));
  KEEL_TRY(field(r, v, "cgroupsPath", out.cgroups_path));
  KEEL_TRY(field(r, v, "namespaces", out.namespaces));
  KEEL_TRY(check_namespaces(r, out.namespaces));
  KEEL_TRY(field(r, v, "devices", out.devices));
  KEEL_TRY(field(r, v, "seccomp", out.seccomp));
  KEEL_TRY(field(r, v, "rootfsPropagation", out.rootfs_propagation));
  if (!out.rootfs_propagation.empty() &&
      !names::contains(names::propagations, out.rootfs_propagation)) {
    auto seg = r.key("rootfsPropagation");
    return r.fail("rootfsPropagation=" + out.rootfs_propagation + " is not supported");
  }
  KEEL_TRY(field(r, v, "maskedPaths", out.masked_paths));
  KEEL_TRY(field(r, v, "readonlyPaths", out.readonly_paths));
  KEEL_TRY(field(r, v, "mountLabel", out.mount_label));
  KEEL_TRY(field(r, v, "intelRdt", out.intel_rdt));
  KEEL_TRY(field(r, v, "timeOffsets", out.time_offsets));
  for (const auto& [clock, offset] : out.time_offsets) {
    if (!names::contains(names::time_clocks, clock)) {
      auto seg = r.key("timeOffsets");
      auto k = r.map_key(clock);
      return r.fail("unknown clock " + quote(clock) + " (expected monotonic or boottime)");
    }
  }
  KEEL_TRY(field(r, v, "personality", out.personality));
  KEEL_TRY(field(r, v, "memoryPolicy", out.memory_policy));
  KEEL_TRY(field(r, v, "netDevices", out.net_devices));
  for (const auto& [host_name, dev] : out.net_devices) {
    if (!valid_ifname(host_name)) {
      auto seg = r.key("netDevices");
      auto k = r.map_key(host_name);
      return r.fail("invalid network device name " + quote(host_name));
    }
  }
  return {};
}

}  // namespace keel::spec::detail
