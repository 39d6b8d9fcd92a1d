// Where a container's cgroup lives in each hierarchy, following runc's cgroupfs rules:
// absolute cgroupsPath = under each hierarchy root, relative = under our own cgroup, empty = /<id>.
#pragma once

#include <map>
#include <set>
#include <string>
#include <string_view>

#include "keel/cgroup/layout.hpp"
#include "keel/error.hpp"

namespace keel::cgroup {

// The container's cgroup: one directory per controller ("unified" for the cgroup2 one).
struct CgroupSet {
  Mode mode = Mode::v1;
  std::map<std::string, std::string> dirs;    // controller -> absolute dir; "unified" -> v2 dir
  std::set<std::string> unified_controllers;  // controllers served by the "unified" dir
  // The dir that serves `controller` ("" when the host lacks it).
  std::string dir_for(const std::string& controller) const;
  bool in_unified(const std::string& controller) const;
};

// Parses /proc/<pid>/cgroup text: controller -> path; the v2 line ("0::/x") is keyed "".
std::map<std::string, std::string> parse_proc_cgroup(std::string_view text);

// Validates and cleans cgroupsPath: refuses "..", collapses "//" and ".". Empty -> "/<id>".
Result<std::string> clean_cgroups_path(std::string_view cgroups_path, std::string_view id);

// Resolves the container's dirs. `own` is our own /proc/self/cgroup (used for relative paths).
Result<CgroupSet> resolve(const Layout& layout, std::string_view cgroups_path, std::string_view id,
                          const std::map<std::string, std::string>& own);

}  // namespace keel::cgroup
