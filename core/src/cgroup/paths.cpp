// runc's cgroupfs path rules.
#include "keel/cgroup/paths.hpp"

#include <vector>

#include "keel/cgroup/fs.hpp"
#include "keel/text.hpp"

namespace keel::cgroup {

std::string CgroupSet::dir_for(const std::string& controller) const {
  if (in_unified(controller)) {
    auto it = dirs.find("unified");
    return it == dirs.end() ? std::string() : it->second;
  }
  auto it = dirs.find(controller);
  return it == dirs.end() ? std::string() : it->second;
}

bool CgroupSet::in_unified(const std::string& controller) const {
  return mode == Mode::v2 || unified_controllers.contains(controller);
}

std::map<std::string, std::string> parse_proc_cgroup(std::string_view text) {
  std::map<std::string, std::string> out;
  for (std::string_view line : text::lines(text)) {
    size_t a = line.find(':');
    size_t b = a == std::string_view::npos ? a : line.find(':', a + 1);
    if (b == std::string_view::npos) continue;
    std::string_view controllers = line.substr(a + 1, b - a - 1);
    std::string path(line.substr(b + 1));
    if (controllers.empty()) {
      out[""] = path;
      continue;
    }
    for (std::string_view name : text::fields(controllers, ",")) out[std::string(name)] = path;
  }
  return out;
}

Result<std::string> clean_cgroups_path(std::string_view cgroups_path, std::string_view id) {
  std::string raw = cgroups_path.empty() ? "/" + std::string(id) : std::string(cgroups_path);
  bool absolute = raw.front() == '/';
  std::string out;
  for (std::string_view part : text::fields(raw, "/")) {
    if (part == ".") continue;
    if (part == "..")
      return fail("invalid cgroupsPath \"" + raw + "\": \"..\" components are not allowed");
    if (!out.empty() || absolute) out += '/';
    out += part;
  }
  if (out.empty())
    return fail("invalid cgroupsPath \"" + raw + "\": it names the root cgroup, not a container's");
  return out;
}

namespace {

// Absolute: under the hierarchy root. Relative: under our own cgroup in that hierarchy.
Result<std::string> place(const std::string& mountpoint, const std::string& inner,
                          const std::map<std::string, std::string>& own, const std::string& key) {
  if (inner.front() == '/') return mountpoint + inner;
  auto it = own.find(key);
  if (it == own.end())
    return fail("relative cgroupsPath \"" + inner + "\": our own cgroup for \"" +
                    (key.empty() ? "unified" : key) + "\" is unknown",
                ENOENT);
  return join(join(mountpoint, it->second), inner);
}

}  // namespace

Result<CgroupSet> resolve(const Layout& layout, std::string_view cgroups_path, std::string_view id,
                          const std::map<std::string, std::string>& own) {
  auto inner = clean_cgroups_path(cgroups_path, id);
  if (!inner) return std::unexpected(inner.error());
  CgroupSet set;
  set.mode = layout.mode;
  for (const auto& [controller, mountpoint] : layout.v1) {
    auto dir = place(mountpoint, *inner, own, controller);
    if (!dir) return std::unexpected(dir.error());
    set.dirs[controller] = *dir;
  }
  if (!layout.unified.empty()) {
    auto dir = place(layout.unified, *inner, own, "");
    if (!dir) return std::unexpected(dir.error());
    set.dirs["unified"] = *dir;
    set.unified_controllers = layout.unified_controllers;
  }
  return set;
}

}  // namespace keel::cgroup
