// resctrl -> runc's IntelRdt stats object (types/events.go; fields omitempty as there).
#include "keel/cgroup/intel_rdt.hpp"

#include <dirent.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/vfs.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <vector>

#include "keel/cgroup/fs.hpp"

namespace keel::cgroup {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
constexpr long kResctrlMagic = 0x7655821;  // RDTGROUP_SUPER_MAGIC

std::string trimmed(const std::string& path) {
  std::string s = read_file(path).value_or("");
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

void opt_u64(Writer& w, const char* key, const std::string& path) {
  uint64_t v = read_u64(path).value_or(0);
  if (v == 0) return;
  w.Key(key);
  w.Uint64(v);
}

void opt_str(Writer& w, const char* key, const std::string& v) {
  if (v.empty()) return;
  w.Key(key);
  w.String(v.c_str());
}

// The last line of a schemata file that mentions `resource` ("L3" or "MB"), trimmed, as runc.
std::string schema_line(const std::string& schemata_path, const std::string& resource) {
  std::istringstream in(read_file(schemata_path).value_or(""));
  std::string line, found;
  while (std::getline(in, line)) {
    if (line.find(resource) == std::string::npos) continue;
    line.erase(0, line.find_first_not_of(" \t"));
    line.erase(line.find_last_not_of(" \t\r") + 1);
    found = line;
  }
  return found;
}

// mon_data/mon_L3_* dirs of the group, sorted (one per L3 cache domain).
std::vector<std::string> monitor_domains(const std::string& group_dir) {
  std::vector<std::string> out;
  std::string dir = join(group_dir, "mon_data");
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.starts_with("mon_L3_")) out.push_back(join(dir, name));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

void monitoring(Writer& w, const std::string& root, const std::string& group_dir) {
  std::string features = read_file(join(root, "info/L3_MON/mon_features")).value_or("");
  bool mbm = features.find("mbm_total_bytes") != std::string::npos ||
             features.find("mbm_local_bytes") != std::string::npos;
  bool cmt = features.find("llc_occupancy") != std::string::npos;
  auto domains = monitor_domains(group_dir);
  auto list = [&](const char* key, std::initializer_list<const char*> files) {
    w.Key(key);
    w.StartArray();
    for (const std::string& dom : domains) {
      w.StartObject();
      for (const char* f : files) {  // not omitempty in runc: zero is printed
        w.Key(f);
        w.Uint64(read_u64(join(dom, f)).value_or(0));
      }
      w.EndObject();
    }
    w.EndArray();
  };
  if (mbm) list("mbm_stats", {"mbm_total_bytes", "mbm_local_bytes"});
  if (cmt) list("cmt_stats", {"llc_occupancy"});
}

}  // namespace

bool resctrl_mounted(const std::string& root) {
  struct statfs sb {};
  return ::statfs(root.c_str(), &sb) == 0 && sb.f_type == kResctrlMagic;
}

std::string intel_rdt_stats_json(const std::string& root, const std::string& group) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  std::string group_dir = join(root, group);
  std::string root_schemata = join(root, "schemata"), schemata = join(group_dir, "schemata");
  w.StartObject();
  if (exists(join(root, "info/L3"))) {  // cache allocation (CAT)
    std::string info = join(root, "info/L3");
    w.Key("l3_cache_info");
    w.StartObject();
    opt_str(w, "cbm_mask", trimmed(join(info, "cbm_mask")));
    opt_u64(w, "min_cbm_bits", join(info, "min_cbm_bits"));
    opt_u64(w, "num_closids", join(info, "num_closids"));
    w.EndObject();
    opt_str(w, "l3_cache_schema_root", schema_line(root_schemata, "L3"));
    opt_str(w, "l3_cache_schema", schema_line(schemata, "L3"));
  }
  if (exists(join(root, "info/MB"))) {  // memory bandwidth allocation (MBA)
    std::string info = join(root, "info/MB");
    w.Key("mem_bw_info");
    w.StartObject();
    opt_u64(w, "bandwidth_gran", join(info, "bandwidth_gran"));
    opt_u64(w, "delay_linear", join(info, "delay_linear"));
    opt_u64(w, "min_bandwidth", join(info, "min_bandwidth"));
    opt_u64(w, "num_closids", join(info, "num_closids"));
    w.EndObject();
    opt_str(w, "mem_bw_schema_root", schema_line(root_schemata, "MB"));
    opt_str(w, "mem_bw_schema", schema_line(schemata, "MB"));
  }
  monitoring(w, root, group_dir);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace keel::cgroup
