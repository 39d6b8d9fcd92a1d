// Layout detection: which hierarchies are mounted under the cgroup root, and what they serve.
#include "keel/cgroup/layout.hpp"

#include <linux/magic.h>
#include <sys/statfs.h>

#include <algorithm>
#include <vector>

#include "keel/cgroup/fs.hpp"
#include "keel/text.hpp"

namespace keel::cgroup {

std::string_view mode_name(Mode m) {
  switch (m) {
    case Mode::v1:
      return "v1";
    case Mode::hybrid:
      return "hybrid";
    case Mode::v2:
      return "v2";
  }
  return "v1";
}

Result<Mode> parse_mode(std::string_view name) {
  if (name == "v1") return Mode::v1;
  if (name == "hybrid") return Mode::hybrid;
  if (name == "v2") return Mode::v2;
  return fail("unknown cgroup layout \"" + std::string(name) + "\"");
}

namespace {

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) end = s.size();
    if (end > start) out.emplace_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::set<std::string> enabled_controllers(std::string_view proc_cgroups) {
  std::set<std::string> out;
  for (std::string_view line : text::lines(proc_cgroups)) {
    if (line.empty() || line[0] == '#') continue;
    // subsys_name hierarchy num_cgroups enabled
    auto f = text::fields(line);
    if (f.size() >= 4 && f[3] == "1") out.insert(std::string(f[0]));
  }
  return out;
}

std::set<std::string> words(std::string_view text) {
  std::set<std::string> out;
  for (std::string_view w : text::fields(text)) out.insert(std::string(w));
  return out;
}

}  // namespace

Result<Layout> layout_from_mountinfo(std::string_view mountinfo, std::string_view proc_cgroups,
                                     std::string_view unified_controllers,
                                     const std::string& root) {
  Layout layout;
  layout.root = root;
  std::set<std::string> known = enabled_controllers(proc_cgroups);
  bool v2_at_root = false;
  for (const std::string& line : split(mountinfo, '\n')) {
    std::vector<std::string> f = split(line, ' ');
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || dash == f.end() || f.end() - dash < 4) continue;
    const std::string& mountpoint = f[4];
    const std::string& fstype = *(dash + 1);
    const std::string& super_opts = *(dash + 3);
    // mountinfo keeps mounts that a later mount hides: a new mount on the root (e.g. a tmpfs
    // holding only the v1 hierarchies, in a private mount namespace) hides all seen so far.
    if (mountpoint == root) {
      layout.v1.clear();
      layout.unified.clear();
      v2_at_root = false;
    }
    if (fstype == "cgroup2") {
      if (mountpoint == root) v2_at_root = true;
      if (mountpoint == root || mountpoint == root + "/unified") layout.unified = mountpoint;
      continue;
    }
    if (fstype != "cgroup" || !mountpoint.starts_with(root + "/")) continue;
    for (const std::string& opt : split(super_opts, ',')) {
      if (known.contains(opt) || opt.starts_with("name="))
        layout.v1.insert_or_assign(opt, mountpoint);
    }
  }
  if (v2_at_root) {
    layout.mode = Mode::v2;
    layout.v1.clear();
  } else if (!layout.v1.empty()) {
    layout.mode = layout.unified.empty() ? Mode::v1 : Mode::hybrid;
  } else {
    return fail("no cgroup hierarchy is mounted under " + root, ENOENT);
  }
  if (!layout.unified.empty()) layout.unified_controllers = words(unified_controllers);
  // A controller is served by one hierarchy only: in hybrid, v1 wins (it is where it is mounted).
  for (const auto& [name, mnt] : layout.v1) layout.unified_controllers.erase(name);
  return layout;
}

Result<Layout> detect_layout(const std::string& root) {
  struct statfs fs {};
  if (::statfs(root.c_str(), &fs) != 0) return sys_error("statfs " + root);
  if (static_cast<unsigned long>(fs.f_type) == CGROUP2_SUPER_MAGIC) {
    Layout layout;
    layout.mode = Mode::v2;
    layout.root = root;
    layout.unified = root;
    auto ctl = read_file(join(root, "cgroup.controllers"));
    if (!ctl) return std::unexpected(ctl.error());
    layout.unified_controllers = words(*ctl);
    return layout;
  }
  auto mountinfo = read_file("/proc/self/mountinfo");
  if (!mountinfo) return std::unexpected(mountinfo.error());
  auto proc_cgroups = read_file("/proc/cgroups");
  if (!proc_cgroups) return std::unexpected(proc_cgroups.error());
  std::string unified_ctl;
  std::string unified = root + "/unified";
  if (::statfs(unified.c_str(), &fs) == 0 &&
      static_cast<unsigned long>(fs.f_type) == CGROUP2_SUPER_MAGIC) {
    unified_ctl = read_file(join(unified, "cgroup.controllers")).value_or("");
  }
  return layout_from_mountinfo(*mountinfo, *proc_cgroups, unified_ctl, root);
}

}  // namespace keel::cgroup
