// Usage counters -> runc's events "data" object (libcontainer/events types, same JSON names).
#include "keel/cgroup/stats.hpp"

#include <dirent.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <sstream>

#include "keel/cgroup/fs.hpp"

namespace keel::cgroup {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

// A controller the host lacks has no dir: its counters read as zero.
uint64_t num(const std::string& dir, const std::string& file) {
  if (dir.empty()) return 0;
  return read_u64(join(dir, file)).value_or(0);
}

std::map<std::string, uint64_t> keyed(const std::string& dir, const std::string& file) {
  std::map<std::string, uint64_t> out;
  if (dir.empty()) return out;
  if (auto text = read_file(join(dir, file)))
    for (auto& [k, v] : parse_flat_keyed(*text)) out[k] = v;
  return out;
}

std::vector<uint64_t> list(const std::string& dir, const std::string& file) {
  std::vector<uint64_t> out;
  if (dir.empty()) return out;
  if (auto text = read_file(join(dir, file))) {
    std::istringstream in(*text);
    uint64_t v;
    while (in >> v) out.push_back(v);
  }
  return out;
}

// omitempty: runc leaves zero counters out of most objects.
void opt(Writer& w, const char* key, uint64_t v) {
  if (v == 0) return;
  w.Key(key);
  w.Uint64(v);
}
void always(Writer& w, const char* key, uint64_t v) {
  w.Key(key);
  w.Uint64(v);
}
void array(Writer& w, const char* key, const std::vector<uint64_t>& v) {
  if (v.empty()) return;
  w.Key(key);
  w.StartArray();
  for (uint64_t x : v) w.Uint64(x);
  w.EndArray();
}

void cpu_v1(Writer& w, const std::string& acct, const std::string& cpu) {
  w.Key("usage");
  w.StartObject();
  opt(w, "total", num(acct, "cpuacct.usage"));
  array(w, "percpu", list(acct, "cpuacct.usage_percpu"));
  array(w, "percpu_kernel", list(acct, "cpuacct.usage_percpu_sys"));
  array(w, "percpu_user", list(acct, "cpuacct.usage_percpu_user"));
  // cpuacct.stat counts USER_HZ ticks; runc reports nanoseconds.
  auto st = keyed(acct, "cpuacct.stat");
  uint64_t ns_per_tick = 1000000000ull / static_cast<uint64_t>(::sysconf(_SC_CLK_TCK));
  always(w, "kernel", st["system"] * ns_per_tick);
  always(w, "user", st["user"] * ns_per_tick);
  w.EndObject();
  auto t = keyed(cpu, "cpu.stat");
  w.Key("throttling");
  w.StartObject();
  opt(w, "periods", t["nr_periods"]);
  opt(w, "throttledPeriods", t["nr_throttled"]);
  opt(w, "throttledTime", t["throttled_time"]);
  w.EndObject();
}

void cpu_v2(Writer& w, const std::string& dir) {
  auto st = keyed(dir, "cpu.stat");
  w.Key("usage");
  w.StartObject();
  opt(w, "total", st["usage_usec"] * 1000);
  always(w, "kernel", st["system_usec"] * 1000);
  always(w, "user", st["user_usec"] * 1000);
  w.EndObject();
  w.Key("throttling");
  w.StartObject();
  opt(w, "periods", st["nr_periods"]);
  opt(w, "throttledPeriods", st["nr_throttled"]);
  opt(w, "throttledTime", st["throttled_usec"] * 1000);
  w.EndObject();
}

// "0-3,8" -> 0 1 2 3 8, as runc's getCpusetStat expands cpuset.cpus and cpuset.mems (numbers
// are uint16 there: a larger one means the file is not a cpu list and yields nothing).
std::vector<uint64_t> cpu_list(const std::string& dir, const std::string& file) {
  std::vector<uint64_t> out;
  if (dir.empty()) return out;
  auto text = read_file(join(dir, file));
  if (!text) return out;
  std::istringstream in(*text);
  std::string part;
  while (std::getline(in, part, ',')) {
    unsigned long lo = 0, hi = 0;
    int n = std::sscanf(part.c_str(), "%lu-%lu", &lo, &hi);
    if (n == 1) hi = lo;
    if (n < 1) continue;
    if (hi < lo || hi > UINT16_MAX) return {};
    for (unsigned long v = lo; v <= hi; ++v) out.push_back(v);
  }
  return out;
}

// runc's CPUSetStats: the lists (omitted when empty) and every flag, zero or not.
void cpuset(Writer& w, const std::string& dir, bool v2) {
  if (v2) {  // cgroup2 has no flags; runc prints them as zero. We add the effective lists.
    array(w, "cpus", cpu_list(dir, "cpuset.cpus.effective"));
    array(w, "mems", cpu_list(dir, "cpuset.mems.effective"));
  } else {
    array(w, "cpus", cpu_list(dir, "cpuset.cpus"));
  }
  always(w, "cpu_exclusive", v2 ? 0 : num(dir, "cpuset.cpu_exclusive"));
  if (!v2) array(w, "mems", cpu_list(dir, "cpuset.mems"));
  for (const char* flag : {"mem_hardwall", "mem_exclusive", "memory_migrate", "memory_spread_page",
                           "memory_spread_slab", "memory_pressure", "sched_load_balance"})
    always(w, flag, v2 ? 0 : num(dir, std::string("cpuset.") + flag));
  int64_t level = 0;
  if (!v2 && !dir.empty()) {
    auto text = read_file(join(dir, "cpuset.sched_relax_domain_level"));
    if (text) level = std::strtoll(text->c_str(), nullptr, 10);
  }
  w.Key("sched_relax_domain_level");
  w.Int64(level);
}

struct MemEntry {
  uint64_t limit = 0, usage = 0, max = 0, failcnt = 0;
};
void mem_entry(Writer& w, const char* key, const MemEntry& e) {
  w.Key(key);
  w.StartObject();
  always(w, "limit", e.limit);
  opt(w, "usage", e.usage);
  opt(w, "max", e.max);
  always(w, "failcnt", e.failcnt);
  w.EndObject();
}
MemEntry mem_v1(const std::string& dir, const std::string& prefix) {
  return {num(dir, prefix + "limit_in_bytes"), num(dir, prefix + "usage_in_bytes"),
          num(dir, prefix + "max_usage_in_bytes"), num(dir, prefix + "failcnt")};
}
void raw(Writer& w, const std::map<std::string, uint64_t>& stat) {
  if (stat.empty()) return;
  w.Key("raw");
  w.StartObject();
  for (const auto& [k, v] : stat) always(w, k.c_str(), v);
  w.EndObject();
}

void memory_v1(Writer& w, const std::string& dir) {
  auto stat = keyed(dir, "memory.stat");
  opt(w, "cache", stat["cache"]);
  mem_entry(w, "usage", mem_v1(dir, "memory."));
  mem_entry(w, "swap", mem_v1(dir, "memory.memsw."));
  mem_entry(w, "kernel", mem_v1(dir, "memory.kmem."));
  mem_entry(w, "kernelTCP", mem_v1(dir, "memory.kmem.tcp."));
  raw(w, stat);
}

void memory_v2(Writer& w, const std::string& dir) {
  auto stat = keyed(dir, "memory.stat");
  opt(w, "cache", stat["file"]);
  MemEntry usage{num(dir, "memory.max"), num(dir, "memory.current"), num(dir, "memory.peak"),
                 keyed(dir, "memory.events")["max"]};
  mem_entry(w, "usage", usage);
  // v1 reported memory+swap; keep that meaning for tools written against runc.
  MemEntry swap{num(dir, "memory.swap.max"), num(dir, "memory.swap.current"), 0, 0};
  swap.usage += usage.usage;
  if (swap.limit != UINT64_MAX && usage.limit != UINT64_MAX) swap.limit += usage.limit;
  mem_entry(w, "swap", swap);
  raw(w, stat);
}

void pids(Writer& w, const std::string& dir) {
  opt(w, "current", num(dir, "pids.current"));
  uint64_t limit = num(dir, "pids.max");
  opt(w, "limit", limit == UINT64_MAX ? 0 : limit);
}

struct BlkioEntry {
  uint64_t major = 0, minor = 0, value = 0;
  std::string op;
};
void blkio_list(Writer& w, const char* key, const std::vector<BlkioEntry>& entries) {
  if (entries.empty()) return;
  w.Key(key);
  w.StartArray();
  for (const auto& e : entries) {
    w.StartObject();
    opt(w, "major", e.major);
    opt(w, "minor", e.minor);
    if (!e.op.empty()) {
      w.Key("op");
      w.String(e.op.c_str());
    }
    opt(w, "value", e.value);
    w.EndObject();
  }
  w.EndArray();
}

// "8:0 Read 4096" or "8:0 4096"; "Total N" lines are skipped.
std::vector<BlkioEntry> blkio_v1_file(const std::string& path) {
  std::vector<BlkioEntry> out;
  auto text = read_file(path);
  if (!text) return out;
  std::istringstream in(*text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string dev, a, b;
    f >> dev >> a >> b;
    BlkioEntry e;
    if (std::sscanf(dev.c_str(), "%lu:%lu", &e.major, &e.minor) != 2) continue;
    if (b.empty()) {
      e.value = std::strtoull(a.c_str(), nullptr, 10);
    } else {
      e.op = a;
      e.value = std::strtoull(b.c_str(), nullptr, 10);
    }
    out.push_back(e);
  }
  return out;
}

void blkio_v1(Writer& w, const std::string& dir) {
  if (dir.empty()) return;
  // CFQ files first, then BFQ, then the throttle ones (always present).
  auto first = [&](const std::string& name) {
    for (const char* p : {"blkio.", "blkio.bfq.", "blkio.throttle."}) {
      std::string path = join(dir, p + name);
      if (exists(path)) return blkio_v1_file(path);
    }
    return std::vector<BlkioEntry>{};
  };
  blkio_list(w, "ioServiceBytesRecursive", first("io_service_bytes_recursive"));
  blkio_list(w, "ioServicedRecursive", first("io_serviced_recursive"));
  blkio_list(w, "ioQueueRecursive", blkio_v1_file(join(dir, "blkio.io_queued_recursive")));
  blkio_list(w, "ioServiceTimeRecursive",
             blkio_v1_file(join(dir, "blkio.io_service_time_recursive")));
  blkio_list(w, "ioWaitTimeRecursive", blkio_v1_file(join(dir, "blkio.io_wait_time_recursive")));
  blkio_list(w, "ioMergedRecursive", blkio_v1_file(join(dir, "blkio.io_merged_recursive")));
  blkio_list(w, "ioTimeRecursive", blkio_v1_file(join(dir, "blkio.time_recursive")));
  blkio_list(w, "sectorsRecursive", blkio_v1_file(join(dir, "blkio.sectors_recursive")));
}

void blkio_v2(Writer& w, const std::string& dir) {
  std::vector<BlkioEntry> bytes, ios;
  if (dir.empty()) return;
  auto text = read_file(join(dir, "io.stat"));
  std::istringstream in(text.value_or(""));
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string dev, kv;
    f >> dev;
    uint64_t major = 0, minor = 0;
    if (std::sscanf(dev.c_str(), "%lu:%lu", &major, &minor) != 2) continue;
    while (f >> kv) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) continue;
      std::string k = kv.substr(0, eq);
      uint64_t v = std::strtoull(kv.c_str() + eq + 1, nullptr, 10);
      if (k == "rbytes") bytes.push_back({major, minor, v, "Read"});
      if (k == "wbytes") bytes.push_back({major, minor, v, "Write"});
      if (k == "rios") ios.push_back({major, minor, v, "Read"});
      if (k == "wios") ios.push_back({major, minor, v, "Write"});
    }
  }
  blkio_list(w, "ioServiceBytesRecursive", bytes);
  blkio_list(w, "ioServicedRecursive", ios);
}

// hugetlb.<size>.<suffix> files of a dir -> sizes.
std::vector<std::string> hugetlb_sizes(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.starts_with("hugetlb.") && name.ends_with("." + suffix) &&
        name.size() > 9 + suffix.size()) {
      std::string size = name.substr(8, name.size() - 9 - suffix.size());
      if (size.find('.') == std::string::npos) out.push_back(size);
    }
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void hugetlb(Writer& w, const std::string& dir, bool v2) {
  for (const std::string& size : hugetlb_sizes(dir, v2 ? "current" : "usage_in_bytes")) {
    std::string p = "hugetlb." + size + ".";
    w.Key(size.c_str());
    w.StartObject();
    if (v2) {
      opt(w, "usage", num(dir, p + "current"));
      always(w, "failcnt", keyed(dir, p + "events")["max"]);
    } else {
      opt(w, "usage", num(dir, p + "usage_in_bytes"));
      opt(w, "max", num(dir, p + "max_usage_in_bytes"));
      always(w, "failcnt", num(dir, p + "failcnt"));
    }
    w.EndObject();
  }
}

void section(Writer& w, const char* key, auto&& body) {
  w.Key(key);
  w.StartObject();
  body();
  w.EndObject();
}

}  // namespace

Result<std::string> stats_json(const CgroupSet& set) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  bool v2 = set.mode == Mode::v2;
  w.StartObject();
  section(w, "cpu", [&] {
    if (v2)
      cpu_v2(w, set.dir_for("cpu"));
    else
      cpu_v1(w, set.dir_for("cpuacct"), set.dir_for("cpu"));
  });
  if (std::string dir = set.dir_for("cpuset"); !dir.empty())
    section(w, "cpuset", [&] { cpuset(w, dir, set.in_unified("cpuset")); });
  section(w, "memory", [&] {
    if (v2)
      memory_v2(w, set.dir_for("memory"));
    else
      memory_v1(w, set.dir_for("memory"));
  });
  section(w, "pids", [&] { pids(w, set.dir_for("pids")); });
  section(w, "blkio", [&] {
    if (v2)
      blkio_v2(w, set.dir_for("io"));
    else
      blkio_v1(w, set.dir_for("blkio"));
  });
  section(w, "hugetlb", [&] {
    std::string dir = set.dir_for("hugetlb");
    if (!dir.empty()) hugetlb(w, dir, set.in_unified("hugetlb"));
  });
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace keel::cgroup
