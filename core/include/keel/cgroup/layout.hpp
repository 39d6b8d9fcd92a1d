// Which cgroup hierarchies exist and where: v1, hybrid (v1 + cgroup2 at <root>/unified) or v2.
// Detected at run time from statfs, /proc/self/mountinfo and /proc/cgroups; root is a parameter.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "keel/error.hpp"

namespace keel::cgroup {

enum class Mode { v1, hybrid, v2 };
std::string_view mode_name(Mode m);
Result<Mode> parse_mode(std::string_view name);

struct Layout {
  Mode mode = Mode::v1;
  std::string root;                           // e.g. /sys/fs/cgroup
  std::map<std::string, std::string> v1;      // controller (or "name=systemd") -> mountpoint
  std::string unified;                        // cgroup2 mountpoint, "" when none
  std::set<std::string> unified_controllers;  // from <unified>/cgroup.controllers
};

// Pure part, for tests: builds the layout from mountinfo text, the enabled controller names of
// /proc/cgroups and the text of the cgroup2 root's cgroup.controllers. Only mounts under `root`
// count.
Result<Layout> layout_from_mountinfo(std::string_view mountinfo, std::string_view proc_cgroups,
                                     std::string_view unified_controllers, const std::string& root);

// The real host: statfs(root) decides v2; otherwise mountinfo of this process.
Result<Layout> detect_layout(const std::string& root = "/sys/fs/cgroup");

}  // namespace keel::cgroup
