// Parses linux.resources JSON (runtime-spec 1.3) into Resources.
#include "keel/cgroup/resources.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

namespace keel::cgroup {

bool BlockIo::empty() const {
  return !weight && !leaf_weight && weight_device.empty() && read_bps.empty() &&
         write_bps.empty() && read_iops.empty() && write_iops.empty();
}

namespace {

using Value = rapidjson::Value;

const Value* member(const Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

// Each getter fails with the JSON field name so a bad spec is easy to fix.
struct Reader {
  std::string error;

  template <class T>
  std::optional<T> number(const Value& obj, const char* name, const char* where) {
    const Value* v = member(obj, name);
    if (!v) return std::nullopt;
    if constexpr (std::is_signed_v<T>) {
      if (v->IsInt64()) return static_cast<T>(v->GetInt64());
    } else {
      if (v->IsUint64()) return static_cast<T>(v->GetUint64());
    }
    error = std::string(where) + "." + name + " must be a" +
            (std::is_signed_v<T> ? "n integer" : " non-negative integer");
    return std::nullopt;
  }
  std::optional<bool> boolean(const Value& obj, const char* name, const char* where) {
    const Value* v = member(obj, name);
    if (!v) return std::nullopt;
    if (v->IsBool()) return v->GetBool();
    error = std::string(where) + "." + name + " must be a boolean";
    return std::nullopt;
  }
  std::optional<std::string> string(const Value& obj, const char* name, const char* where) {
    const Value* v = member(obj, name);
    if (!v) return std::nullopt;
    if (v->IsString()) return std::string(v->GetString(), v->GetStringLength());
    error = std::string(where) + "." + name + " must be a string";
    return std::nullopt;
  }
};

void read_devices(Reader& rd, const Value& arr, Resources& out) {
  std::vector<DeviceRule> rules;
  for (const Value& d : arr.GetArray()) {
    DeviceRule r;
    r.allow = rd.boolean(d, "allow", "devices").value_or(false);
    std::string type = rd.string(d, "type", "devices").value_or("a");
    r.type = type.empty() ? 'a' : type[0];
    if (type.size() > 1 || (r.type != 'a' && r.type != 'c' && r.type != 'b' && r.type != 'u'))
      rd.error = "devices.type \"" + type + "\" is not one of a, b, c";
    if (r.type == 'u') r.type = 'c';  // unbuffered char device is a char device
    r.major = rd.number<int64_t>(d, "major", "devices").value_or(-1);
    r.minor = rd.number<int64_t>(d, "minor", "devices").value_or(-1);
    r.access = rd.string(d, "access", "devices").value_or("rwm");
    if (r.access.empty())  // runc refuses it too: a rule that grants or takes away nothing
      rd.error = "devices.access cannot be empty";
    else if (r.access.find_first_not_of("rwm") != std::string::npos)
      rd.error = "devices.access \"" + r.access + "\" may only contain r, w and m";
    rules.push_back(r);
  }
  out.devices = std::move(rules);
}

void read_memory(Reader& rd, const Value& m, Resources& out) {
  Memory mem;
  mem.limit = rd.number<int64_t>(m, "limit", "memory");
  mem.reservation = rd.number<int64_t>(m, "reservation", "memory");
  mem.swap = rd.number<int64_t>(m, "swap", "memory");
  mem.kernel = rd.number<int64_t>(m, "kernel", "memory");
  mem.kernel_tcp = rd.number<int64_t>(m, "kernelTCP", "memory");
  mem.swappiness = rd.number<uint64_t>(m, "swappiness", "memory");
  mem.disable_oom_killer = rd.boolean(m, "disableOOMKiller", "memory");
  mem.use_hierarchy = rd.boolean(m, "useHierarchy", "memory");
  mem.check_before_update = rd.boolean(m, "checkBeforeUpdate", "memory");
  out.memory = mem;
}

void read_cpu(Reader& rd, const Value& c, Resources& out) {
  Cpu cpu;
  cpu.shares = rd.number<uint64_t>(c, "shares", "cpu");
  cpu.quota = rd.number<int64_t>(c, "quota", "cpu");
  cpu.burst = rd.number<uint64_t>(c, "burst", "cpu");
  cpu.period = rd.number<uint64_t>(c, "period", "cpu");
  cpu.realtime_runtime = rd.number<int64_t>(c, "realtimeRuntime", "cpu");
  cpu.realtime_period = rd.number<uint64_t>(c, "realtimePeriod", "cpu");
  cpu.cpus = rd.string(c, "cpus", "cpu");
  cpu.mems = rd.string(c, "mems", "cpu");
  cpu.idle = rd.number<int64_t>(c, "idle", "cpu");
  out.cpu = cpu;
}

std::vector<ThrottleDevice> read_throttle(Reader& rd, const Value& b, const char* name) {
  std::vector<ThrottleDevice> out;
  const Value* arr = member(b, name);
  if (!arr || !arr->IsArray()) return out;
  for (const Value& d : arr->GetArray()) {
    ThrottleDevice t;
    t.major = rd.number<int64_t>(d, "major", name).value_or(0);
    t.minor = rd.number<int64_t>(d, "minor", name).value_or(0);
    t.rate = rd.number<uint64_t>(d, "rate", name).value_or(0);
    out.push_back(t);
  }
  return out;
}

void read_block_io(Reader& rd, const Value& b, Resources& out) {
  BlockIo io;
  io.weight = rd.number<uint16_t>(b, "weight", "blockIO");
  io.leaf_weight = rd.number<uint16_t>(b, "leafWeight", "blockIO");
  if (const Value* arr = member(b, "weightDevice"); arr && arr->IsArray()) {
    for (const Value& d : arr->GetArray()) {
      WeightDevice w;
      w.major = rd.number<int64_t>(d, "major", "weightDevice").value_or(0);
      w.minor = rd.number<int64_t>(d, "minor", "weightDevice").value_or(0);
      w.weight = rd.number<uint16_t>(d, "weight", "weightDevice");
      w.leaf_weight = rd.number<uint16_t>(d, "leafWeight", "weightDevice");
      io.weight_device.push_back(w);
    }
  }
  io.read_bps = read_throttle(rd, b, "throttleReadBpsDevice");
  io.write_bps = read_throttle(rd, b, "throttleWriteBpsDevice");
  io.read_iops = read_throttle(rd, b, "throttleReadIOPSDevice");
  io.write_iops = read_throttle(rd, b, "throttleWriteIOPSDevice");
  out.block_io = io;
}

void read_rest(Reader& rd, const Value& root, Resources& out) {
  if (const Value* p = member(root, "pids")) {
    out.pids_limit = rd.number<int64_t>(*p, "limit", "pids");
    if (!out.pids_limit) out.pids_limit = 0;  // an empty pids object means "max"
  }
  if (const Value* arr = member(root, "hugepageLimits"); arr && arr->IsArray()) {
    for (const Value& h : arr->GetArray()) {
      HugepageLimit l;
      l.page_size = rd.string(h, "pageSize", "hugepageLimits").value_or("");
      l.limit = rd.number<uint64_t>(h, "limit", "hugepageLimits").value_or(0);
      if (l.page_size.empty() || l.page_size.find('/') != std::string::npos)
        rd.error = "hugepageLimits.pageSize \"" + l.page_size + "\" is not a page size";
      out.hugepage_limits.push_back(l);
    }
  }
  if (const Value* n = member(root, "network")) {
    Network net;
    net.class_id = rd.number<uint32_t>(*n, "classID", "network");
    if (const Value* arr = member(*n, "priorities"); arr && arr->IsArray()) {
      for (const Value& p : arr->GetArray())
        net.priorities.emplace_back(rd.string(p, "name", "priorities").value_or(""),
                                    rd.number<uint32_t>(p, "priority", "priorities").value_or(0));
    }
    if (net.class_id || !net.priorities.empty()) out.network = net;
  }
  if (const Value* r = member(root, "rdma"); r && r->IsObject()) {
    for (const auto& m : r->GetObject())
      out.rdma[m.name.GetString()] = Rdma{rd.number<uint32_t>(m.value, "hcaHandles", "rdma"),
                                          rd.number<uint32_t>(m.value, "hcaObjects", "rdma")};
  }
  if (const Value* u = member(root, "unified"); u && u->IsObject()) {
    for (const auto& m : u->GetObject()) {
      if (!m.value.IsString()) {
        rd.error = std::string("unified.") + m.name.GetString() + " must be a string";
        continue;
      }
      out.unified[m.name.GetString()] = m.value.GetString();
    }
  }
}

}  // namespace

Result<Resources> parse_resources(std::string_view json) {
  Resources out;
  if (json.empty() || json == "null") return out;
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError())
    return fail(std::string("parsing linux.resources: ") +
                rapidjson::GetParseError_En(doc.GetParseError()));
  if (doc.IsNull()) return out;
  if (!doc.IsObject()) return fail("parsing linux.resources: not a JSON object");
  Reader rd;
  if (const Value* d = member(doc, "devices"); d && d->IsArray()) read_devices(rd, *d, out);
  if (const Value* m = member(doc, "memory")) read_memory(rd, *m, out);
  if (const Value* c = member(doc, "cpu")) read_cpu(rd, *c, out);
  if (const Value* b = member(doc, "blockIO")) read_block_io(rd, *b, out);
  read_rest(rd, doc, out);
  if (!rd.error.empty()) return fail("invalid linux.resources: " + rd.error);
  return out;
}

}  // namespace keel::cgroup
