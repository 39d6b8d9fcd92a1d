// The "intel_rdt" object of runc's `events --stats`, read from the resctrl filesystem the way
// runc's intelrdt manager reads it. Not a cgroup, but it sits in the same stats object.
#pragma once

#include <string>

namespace keel::cgroup {

inline constexpr const char* kResctrlRoot = "/sys/fs/resctrl";

// True when `root` is a mounted resctrl filesystem.
bool resctrl_mounted(const std::string& root = kResctrlRoot);

// {"l3_cache_info":{..},"l3_cache_schema_root":..,"l3_cache_schema":..,"mem_bw_info":{..},
//  "mem_bw_schema_root":..,"mem_bw_schema":..,"mbm_stats":[..],"cmt_stats":[..]}: each part only
// when the hardware feature is enabled (info/L3, info/MB, info/L3_MON/mon_features) and readable.
// `group` is the container's resctrl group: the spec's intelRdt.closID, else the container id.
std::string intel_rdt_stats_json(const std::string& root, const std::string& group);

}  // namespace keel::cgroup
