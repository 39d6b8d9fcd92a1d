// events --stats: the cgroup manager's runc-shaped "data" plus the container's network counters.
#include <rapidjson/document.h>

#include <optional>
#include <sstream>

#include "json_util.hpp"
#include "keel/cgroup/intel_rdt.hpp"
#include "keel/manage.hpp"
#include "managed.hpp"
#include "proc_read.hpp"
#include "stats_internal.hpp"

namespace keel::manage {
namespace {

using rapidjson::Value;

// runc's types.Stats always carries these objects; the plugin only fills what cgroups know.
void ensure_object(rapidjson::Document& doc, const char* key) {
  if (!doc.HasMember(key))
    doc.AddMember(Value(key, doc.GetAllocator()), Value(rapidjson::kObjectType),
                  doc.GetAllocator());
}

// runc reads resctrl only for a container whose config has linux.intelRdt; its group is the
// closID, else the container id. Anything else keeps runc's empty "intel_rdt":{}.
std::optional<std::string> intel_rdt_group(const ContainerState& st) {
  if (st.config_json.find("\"intelRdt\"") == std::string::npos) return std::nullopt;
  rapidjson::Document config;
  config.Parse(st.config_json.c_str());
  if (config.HasParseError() || !config.IsObject() || !config.HasMember("linux") ||
      !config["linux"].IsObject() || !config["linux"].HasMember("intelRdt"))
    return std::nullopt;
  const Value& rdt = config["linux"]["intelRdt"];
  if (rdt.IsObject() && rdt.HasMember("closID") && rdt["closID"].IsString() &&
      rdt["closID"].GetStringLength() > 0)
    return std::string(rdt["closID"].GetString());
  return st.id;
}

void fill_intel_rdt(rapidjson::Document& doc, const ContainerState& st) {
  auto group = intel_rdt_group(st);
  if (!group || !cgroup::resctrl_mounted()) return;
  rapidjson::Document rdt;
  rdt.Parse(cgroup::intel_rdt_stats_json(cgroup::kResctrlRoot, *group).c_str());
  if (rdt.HasParseError()) return;
  doc.RemoveMember("intel_rdt");
  doc.AddMember("intel_rdt", Value(rdt, doc.GetAllocator()), doc.GetAllocator());
}

}  // namespace

std::string network_interfaces_json(std::string_view net_dev) {
  // Two header lines, then "  eth0: rxbytes rxpackets rxerrs rxdrop fifo frame compressed
  // multicast txbytes txpackets txerrs txdrop ...".
  std::istringstream in{std::string(net_dev)};
  std::string line, out;
  int n = 0;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    if (name == "lo" || name.empty()) continue;  // runc reports only the container's links
    std::istringstream f(line.substr(colon + 1));
    uint64_t v[16] = {};
    for (auto& x : v) f >> x;
    if (n++) out += ',';
    out += "{\"Name\":" + detail::json_string(name) + ",\"RxBytes\":" + std::to_string(v[0]) +
           ",\"RxPackets\":" + std::to_string(v[1]) + ",\"RxErrors\":" + std::to_string(v[2]) +
           ",\"RxDropped\":" + std::to_string(v[3]) + ",\"TxBytes\":" + std::to_string(v[8]) +
           ",\"TxPackets\":" + std::to_string(v[9]) + ",\"TxErrors\":" + std::to_string(v[10]) +
           ",\"TxDropped\":" + std::to_string(v[11]) + "}";
  }
  return n == 0 ? "null" : "[" + out + "]";  // Go encodes an empty slice field as null here
}

namespace detail {

Result<std::string> stats_line(const CgroupManager& manager, const ContainerState& st) {
  auto data = manager.stats(st.cgroup_state);
  if (!data) return std::unexpected(data.error());
  rapidjson::Document doc;
  if (auto r = parse_json(doc, *data, "reading stats from " + manager.name()); !r)
    return std::unexpected(r.error());
  if (!doc.IsObject()) return fail("reading stats from " + manager.name() + ": not an object");
  ensure_object(doc, "cpuset");
  ensure_object(doc, "intel_rdt");
  fill_intel_rdt(doc, st);
  auto net = read_text("/proc/" + std::to_string(st.init_pid) + "/net/dev");
  rapidjson::Document ifaces;
  ifaces.Parse(network_interfaces_json(net.value_or("")).c_str());
  doc.RemoveMember("network_interfaces");
  doc.AddMember("network_interfaces", Value(ifaces, doc.GetAllocator()), doc.GetAllocator());
  return "{\"type\":\"stats\",\"id\":" + json_string(st.id) + ",\"data\":" + to_text(doc) + "}";
}

}  // namespace detail

Result<std::string> stats_event(const GlobalOptions& g, const std::string& id) {
  StateStore store(g.root);
  auto c = detail::open_container(store, id);
  if (!c) return std::unexpected(c.error());
  if (c->status == Status::stopped)
    return fail("container with id " + id + " is not running", ESRCH);
  auto manager = detail::recorded_manager(c->state);
  if (!manager) return std::unexpected(manager.error());
  return detail::stats_line(*manager, c->state);
}

}  // namespace keel::manage
