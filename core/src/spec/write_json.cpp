// to_json: the model back to runtime-spec JSON, omitting empty optional fields like Go's
// `omitempty`, so that parse(to_json(x)) == x for every x the parser produces.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "keel/spec/parse.hpp"

namespace keel::spec {
namespace {

using JsonWriter = rapidjson::Writer<rapidjson::StringBuffer>;

struct Out {
  rapidjson::StringBuffer buf;
  JsonWriter w{buf};
  std::string take() { return std::string(buf.GetString(), buf.GetSize()); }
};

// Scalars.
void put(JsonWriter& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void put(JsonWriter& w, bool b) {
  w.Bool(b);
}
void put(JsonWriter& w, int32_t n) {
  w.Int(n);
}
void put(JsonWriter& w, int64_t n) {
  w.Int64(n);
}
void put(JsonWriter& w, uint16_t n) {
  w.Uint(n);
}
void put(JsonWriter& w, uint32_t n) {
  w.Uint(n);
}
void put(JsonWriter& w, uint64_t n) {
  w.Uint64(n);
}

void key(JsonWriter& w, const char* k) {
  w.Key(k);
}

// Containers and structs, declared before the templates that use them.
void put(JsonWriter& w, const Capabilities& c);
void put(JsonWriter& w, const Rlimit& r);
void put(JsonWriter& w, const User& u);
void put(JsonWriter& w, const ConsoleSize& c);
void put(JsonWriter& w, const Scheduler& s);
void put(JsonWriter& w, const IoPriority& p);
void put(JsonWriter& w, const CpuAffinity& a);
void put(JsonWriter& w, const Process& p);
void put(JsonWriter& w, const Root& r);
void put(JsonWriter& w, const IdMapping& m);
void put(JsonWriter& w, const Mount& m);
void put(JsonWriter& w, const Hook& h);
void put(JsonWriter& w, const Hooks& h);
void put(JsonWriter& w, const Namespace& n);
void put(JsonWriter& w, const Device& d);
void put(JsonWriter& w, const DeviceRule& d);
void put(JsonWriter& w, const Memory& m);
void put(JsonWriter& w, const Cpu& c);
void put(JsonWriter& w, const Pids& p);
void put(JsonWriter& w, const WeightDevice& d);
void put(JsonWriter& w, const ThrottleDevice& d);
void put(JsonWriter& w, const BlockIo& b);
void put(JsonWriter& w, const HugepageLimit& h);
void put(JsonWriter& w, const NetPriority& p);
void put(JsonWriter& w, const Network& n);
void put(JsonWriter& w, const Rdma& r);
void put(JsonWriter& w, const Resources& r);
void put(JsonWriter& w, const SeccompArg& a);
void put(JsonWriter& w, const SeccompSyscall& s);
void put(JsonWriter& w, const Seccomp& s);
void put(JsonWriter& w, const IntelRdt& i);
void put(JsonWriter& w, const TimeOffset& t);
void put(JsonWriter& w, const Personality& p);
void put(JsonWriter& w, const MemoryPolicy& m);
void put(JsonWriter& w, const NetDevice& n);

template <class T>
void put(JsonWriter& w, const std::vector<T>& v) {
  w.StartArray();
  for (const auto& e : v) put(w, e);
  w.EndArray();
}

template <class T>
void put(JsonWriter& w, const std::map<std::string, T>& m) {
  w.StartObject();
  for (const auto& [k, v] : m) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    put(w, v);
  }
  w.EndObject();
}

// Always written.
template <class T>
void req(JsonWriter& w, const char* k, const T& v) {
  key(w, k);
  put(w, v);
}

// Written only when set / non-empty / true (Go's omitempty).
void opt(JsonWriter& w, const char* k, const std::string& v) {
  if (!v.empty()) req(w, k, v);
}
void opt(JsonWriter& w, const char* k, bool v) {
  if (v) req(w, k, v);
}
template <class T>
void opt(JsonWriter& w, const char* k, const std::optional<T>& v) {
  if (v) req(w, k, *v);
}
template <class T>
void opt(JsonWriter& w, const char* k, const std::vector<T>& v) {
  if (!v.empty()) req(w, k, v);
}
template <class T>
void opt(JsonWriter& w, const char* k, const std::map<std::string, T>& v) {
  if (!v.empty()) req(w, k, v);
}

void put(JsonWriter& w, const Capabilities& c) {
  w.StartObject();
  opt(w, "bounding", c.bounding);
  opt(w, "effective", c.effective);
  opt(w, "inheritable", c.inheritable);
  opt(w, "permitted", c.permitted);
  opt(w, "ambient", c.ambient);
  w.EndObject();
}

void put(JsonWriter& w, const Rlimit& r) {
  w.StartObject();
  req(w, "type", r.type);
  req(w, "hard", r.hard);
  req(w, "soft", r.soft);
  w.EndObject();
}

void put(JsonWriter& w, const User& u) {
  w.StartObject();
  req(w, "uid", u.uid);
  req(w, "gid", u.gid);
  opt(w, "umask", u.umask);
  opt(w, "additionalGids", u.additional_gids);
  opt(w, "username", u.username);
  w.EndObject();
}

void put(JsonWriter& w, const ConsoleSize& c) {
  w.StartObject();
  req(w, "height", c.height);
  req(w, "width", c.width);
  w.EndObject();
}

void put(JsonWriter& w, const Scheduler& s) {
  w.StartObject();
  req(w, "policy", s.policy);
  opt(w, "nice", s.nice);
  opt(w, "priority", s.priority);
  opt(w, "flags", s.flags);
  opt(w, "runtime", s.runtime);
  opt(w, "deadline", s.deadline);
  opt(w, "period", s.period);
  w.EndObject();
}

void put(JsonWriter& w, const IoPriority& p) {
  w.StartObject();
  req(w, "class", p.io_class);
  req(w, "priority", p.priority);
  w.EndObject();
}

void put(JsonWriter& w, const CpuAffinity& a) {
  w.StartObject();
  opt(w, "initial", a.initial);
  opt(w, "final", a.final);
  w.EndObject();
}

void put(JsonWriter& w, const Process& p) {
  w.StartObject();
  opt(w, "terminal", p.terminal);
  opt(w, "consoleSize", p.console_size);
  req(w, "user", p.user);
  opt(w, "args", p.args);
  opt(w, "commandLine", p.command_line);
  opt(w, "env", p.env);
  req(w, "cwd", p.cwd);
  opt(w, "capabilities", p.capabilities);
  opt(w, "rlimits", p.rlimits);
  opt(w, "noNewPrivileges", p.no_new_privileges);
  opt(w, "apparmorProfile", p.apparmor_profile);
  opt(w, "oomScoreAdj", p.oom_score_adj);
  opt(w, "scheduler", p.scheduler);
  opt(w, "selinuxLabel", p.selinux_label);
  opt(w, "ioPriority", p.io_priority);
  opt(w, "execCPUAffinity", p.exec_cpu_affinity);
  w.EndObject();
}

void put(JsonWriter& w, const Root& r) {
  w.StartObject();
  req(w, "path", r.path);
  opt(w, "readonly", r.readonly);
  w.EndObject();
}

void put(JsonWriter& w, const IdMapping& m) {
  w.StartObject();
  req(w, "containerID", m.container_id);
  req(w, "hostID", m.host_id);
  req(w, "size", m.size);
  w.EndObject();
}

void put(JsonWriter& w, const Mount& m) {
  w.StartObject();
  req(w, "destination", m.destination);
  opt(w, "type", m.type);
  opt(w, "source", m.source);
  opt(w, "options", m.options);
  opt(w, "uidMappings", m.uid_mappings);
  opt(w, "gidMappings", m.gid_mappings);
  w.EndObject();
}

void put(JsonWriter& w, const Hook& h) {
  w.StartObject();
  req(w, "path", h.path);
  opt(w, "args", h.args);
  opt(w, "env", h.env);
  opt(w, "timeout", h.timeout);
  w.EndObject();
}

void put(JsonWriter& w, const Hooks& h) {
  w.StartObject();
  opt(w, "prestart", h.prestart);
  opt(w, "createRuntime", h.create_runtime);
  opt(w, "createContainer", h.create_container);
  opt(w, "startContainer", h.start_container);
  opt(w, "poststart", h.poststart);
  opt(w, "poststop", h.poststop);
  w.EndObject();
}

void put(JsonWriter& w, const Namespace& n) {
  w.StartObject();
  req(w, "type", n.type);
  opt(w, "path", n.path);
  w.EndObject();
}

void put(JsonWriter& w, const Device& d) {
  w.StartObject();
  req(w, "path", d.path);
  req(w, "type", d.type);
  req(w, "major", d.major);
  req(w, "minor", d.minor);
  opt(w, "fileMode", d.file_mode);
  opt(w, "uid", d.uid);
  opt(w, "gid", d.gid);
  w.EndObject();
}

void put(JsonWriter& w, const DeviceRule& d) {
  w.StartObject();
  req(w, "allow", d.allow);
  opt(w, "type", d.type);
  opt(w, "major", d.major);
  opt(w, "minor", d.minor);
  opt(w, "access", d.access);
  w.EndObject();
}

void put(JsonWriter& w, const Memory& m) {
  w.StartObject();
  opt(w, "limit", m.limit);
  opt(w, "reservation", m.reservation);
  opt(w, "swap", m.swap);
  opt(w, "kernel", m.kernel);
  opt(w, "kernelTCP", m.kernel_tcp);
  opt(w, "swappiness", m.swappiness);
  opt(w, "disableOOMKiller", m.disable_oom_killer);
  opt(w, "useHierarchy", m.use_hierarchy);
  opt(w, "checkBeforeUpdate", m.check_before_update);
  w.EndObject();
}

void put(JsonWriter& w, const Cpu& c) {
  w.StartObject();
  opt(w, "shares", c.shares);
  opt(w, "quota", c.quota);
  opt(w, "burst", c.burst);
  opt(w, "period", c.period);
  opt(w, "realtimeRuntime", c.realtime_runtime);
  opt(w, "realtimePeriod", c.realtime_period);
  opt(w, "cpus", c.cpus);
  opt(w, "mems", c.mems);
  opt(w, "idle", c.idle);
  w.EndObject();
}

void put(JsonWriter& w, const Pids& p) {
  w.StartObject();
  opt(w, "limit", p.limit);
  w.EndObject();
}

void put(JsonWriter& w, const WeightDevice& d) {
  w.StartObject();
  req(w, "major", d.major);
  req(w, "minor", d.minor);
  opt(w, "weight", d.weight);
  opt(w, "leafWeight", d.leaf_weight);
  w.EndObject();
}

void put(JsonWriter& w, const ThrottleDevice& d) {
  w.StartObject();
  req(w, "major", d.major);
  req(w, "minor", d.minor);
  req(w, "rate", d.rate);
  w.EndObject();
}

void put(JsonWriter& w, const BlockIo& b) {
  w.StartObject();
  opt(w, "weight", b.weight);
  opt(w, "leafWeight", b.leaf_weight);
  opt(w, "weightDevice", b.weight_device);
  opt(w, "throttleReadBpsDevice", b.throttle_read_bps_device);
  opt(w, "throttleWriteBpsDevice", b.throttle_write_bps_device);
  opt(w, "throttleReadIOPSDevice", b.throttle_read_iops_device);
  opt(w, "throttleWriteIOPSDevice", b.throttle_write_iops_device);
  w.EndObject();
}

void put(JsonWriter& w, const HugepageLimit& h) {
  w.StartObject();
  req(w, "pageSize", h.page_size);
  req(w, "limit", h.limit);
  w.EndObject();
}

void put(JsonWriter& w, const NetPriority& p) {
  w.StartObject();
  req(w, "name", p.name);
  req(w, "priority", p.priority);
  w.EndObject();
}

void put(JsonWriter& w, const Network& n) {
  w.StartObject();
  opt(w, "classID", n.class_id);
  opt(w, "priorities", n.priorities);
  w.EndObject();
}

void put(JsonWriter& w, const Rdma& r) {
  w.StartObject();
  opt(w, "hcaHandles", r.hca_handles);
  opt(w, "hcaObjects", r.hca_objects);
  w.EndObject();
}

void put(JsonWriter& w, const Resources& r) {
  w.StartObject();
  opt(w, "devices", r.devices);
  opt(w, "memory", r.memory);
  opt(w, "cpu", r.cpu);
  opt(w, "pids", r.pids);
  opt(w, "blockIO", r.block_io);
  opt(w, "hugepageLimits", r.hugepage_limits);
  opt(w, "network", r.network);
  opt(w, "rdma", r.rdma);
  opt(w, "unified", r.unified);
  w.EndObject();
}

void put(JsonWriter& w, const SeccompArg& a) {
  w.StartObject();
  req(w, "index", a.index);
  req(w, "value", a.value);
  opt(w, "valueTwo", a.value_two ? std::optional(a.value_two) : std::nullopt);
  req(w, "op", a.op);
  w.EndObject();
}

void put(JsonWriter& w, const SeccompSyscall& s) {
  w.StartObject();
  req(w, "names", s.names);
  req(w, "action", s.action);
  opt(w, "errnoRet", s.errno_ret);
  opt(w, "args", s.args);
  w.EndObject();
}

void put(JsonWriter& w, const Seccomp& s) {
  w.StartObject();
  opt(w, "defaultAction", s.default_action);
  opt(w, "defaultErrnoRet", s.default_errno_ret);
  opt(w, "architectures", s.architectures);
  opt(w, "flags", s.flags);
  opt(w, "listenerPath", s.listener_path);
  opt(w, "listenerMetadata", s.listener_metadata);
  opt(w, "syscalls", s.syscalls);
  w.EndObject();
}

void put(JsonWriter& w, const IntelRdt& i) {
  w.StartObject();
  opt(w, "closID", i.clos_id);
  opt(w, "l3CacheSchema", i.l3_cache_schema);
  opt(w, "memBwSchema", i.mem_bw_schema);
  opt(w, "schemata", i.schemata);
  opt(w, "enableMonitoring", i.enable_monitoring);
  w.EndObject();
}

void put(JsonWriter& w, const TimeOffset& t) {
  w.StartObject();
  req(w, "secs", t.secs);
  req(w, "nanosecs", t.nanosecs);
  w.EndObject();
}

void put(JsonWriter& w, const Personality& p) {
  w.StartObject();
  req(w, "domain", p.domain);
  opt(w, "flags", p.flags);
  w.EndObject();
}

void put(JsonWriter& w, const MemoryPolicy& m) {
  w.StartObject();
  req(w, "mode", m.mode);
  opt(w, "nodes", m.nodes);
  opt(w, "flags", m.flags);
  w.EndObject();
}

void put(JsonWriter& w, const NetDevice& n) {
  w.StartObject();
  opt(w, "name", n.name);
  w.EndObject();
}

// Writes a subtree kept as raw text when there is one, else the typed model.
template <class T>
void raw_or_typed(JsonWriter& w, const char* k, const std::string& raw,
                  const std::optional<T>& typed) {
  if (!raw.empty()) {
    key(w, k);
    w.RawValue(raw.data(), raw.size(), rapidjson::kObjectType);
  } else {
    opt(w, k, typed);
  }
}

void put_linux(JsonWriter& w, const Linux& l, const std::string& resources_json,
               const std::string& seccomp_json) {
  w.StartObject();
  opt(w, "uidMappings", l.uid_mappings);
  opt(w, "gidMappings", l.gid_mappings);
  opt(w, "sysctl", l.sysctl);
  raw_or_typed(w, "resources", resources_json, l.resources);
  opt(w, "cgroupsPath", l.cgroups_path);
  opt(w, "namespaces", l.namespaces);
  opt(w, "devices", l.devices);
  raw_or_typed(w, "seccomp", seccomp_json, l.seccomp);
  opt(w, "rootfsPropagation", l.rootfs_propagation);
  opt(w, "maskedPaths", l.masked_paths);
  opt(w, "readonlyPaths", l.readonly_paths);
  opt(w, "mountLabel", l.mount_label);
  opt(w, "intelRdt", l.intel_rdt);
  opt(w, "timeOffsets", l.time_offsets);
  opt(w, "personality", l.personality);
  opt(w, "memoryPolicy", l.memory_policy);
  opt(w, "netDevices", l.net_devices);
  w.EndObject();
}

}  // namespace

std::string to_json(const Config& c) {
  Out o;
  auto& w = o.w;
  w.StartObject();
  req(w, "ociVersion", c.oci_version);
  opt(w, "process", c.process);
  opt(w, "root", c.root);
  opt(w, "hostname", c.hostname);
  opt(w, "domainname", c.domainname);
  opt(w, "mounts", c.mounts);
  opt(w, "hooks", c.hooks);
  opt(w, "annotations", c.annotations);
  if (c.linux) {
    key(w, "linux");
    put_linux(w, *c.linux, c.resources_json, c.seccomp_json);
  }
  w.EndObject();
  return o.take();
}

std::string to_json(const Process& p) {
  Out o;
  put(o.w, p);
  return o.take();
}

std::string to_json(const Resources& r) {
  Out o;
  put(o.w, r);
  return o.take();
}

std::string to_json(const Seccomp& s) {
  Out o;
  put(o.w, s);
  return o.take();
}

}  // namespace keel::spec
