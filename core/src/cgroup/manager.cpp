// create/apply: make the dirs, prepare them so tasks can join, write the limits.
#include "keel/cgroup/manager.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <optional>
#include <set>

#include "keel/cgroup/fs.hpp"
#include "keel/cgroup/resources.hpp"
#include "keel/cgroup/writers.hpp"
#include "keel/text.hpp"

namespace keel::cgroup {

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Every dir from just below `mount` down to `leaf`.
std::vector<std::string> levels(const std::string& mount, const std::string& leaf) {
  std::vector<std::string> out;
  if (!leaf.starts_with(mount + "/")) return out;
  size_t pos = mount.size();
  while (pos < leaf.size()) {
    size_t next = leaf.find('/', pos + 1);
    if (next == std::string::npos) next = leaf.size();
    out.push_back(leaf.substr(0, next));
    pos = next;
  }
  return out;
}

std::string parent_of(const std::string& dir) {
  return dir.substr(0, dir.rfind('/'));
}

// A new v1 cpuset has empty cpus/mems and refuses tasks: inherit the parent's. Top-down, so
// each level's value is read once and is the parent's value for the level below.
Result<void> init_cpuset(const std::string& mount, const std::string& leaf) {
  for (const char* file : {"cpuset.cpus", "cpuset.mems"}) {
    std::optional<std::string> above;  // the value of the level above, once read
    for (const std::string& dir : levels(mount, leaf)) {
      auto cur = read_file(join(dir, file));
      if (!cur) return std::unexpected(cur.error());
      if (!trim(*cur).empty()) {
        above = trim(*cur);
        continue;
      }
      if (!above) {
        auto parent = read_file(join(parent_of(dir), file));
        if (!parent) return std::unexpected(parent.error());
        above = trim(*parent);
      }
      if (auto w = write_file(dir, file, *above); !w) return w;
    }
  }
  return {};
}

// cgroup2: a controller works in a child only when every ancestor delegates it.
void enable_controllers(const std::string& mount, const std::string& leaf,
                        const std::set<std::string>& wanted) {
  std::vector<std::string> parents{mount};
  for (const std::string& d : levels(mount, leaf)) parents.push_back(d);
  parents.pop_back();  // the leaf itself keeps no subtree_control (no internal processes)
  for (const std::string& dir : parents) {
    std::string available = read_file(join(dir, "cgroup.controllers")).value_or("");
    // One at a time, errors ignored: a controller that cannot be delegated is then reported
    // by the write that needs it, with the file name.
    for (std::string_view c : text::fields(available)) {
      std::string name(c);
      if (wanted.contains(name)) (void)write_file(dir, "cgroup.subtree_control", "+" + name);
    }
  }
}

// Removes what a failed create() made, innermost first.
void undo(const std::vector<std::string>& created) {
  for (auto it = created.rbegin(); it != created.rend(); ++it) (void)remove_cgroup(*it);
}

Result<void> prepare(const Layout& layout, const CgroupSet& set, std::vector<std::string>& made) {
  std::set<std::string> done;
  for (const auto& [controller, dir] : set.dirs) {
    if (!done.insert(dir).second) continue;
    if (auto r = mkdir_p(dir, &made); !r) return r;
  }
  if (auto it = layout.v1.find("cpuset"); it != layout.v1.end()) {
    if (auto r = init_cpuset(it->second, set.dir_for("cpuset")); !r) return r;
  }
  if (!layout.unified.empty())
    enable_controllers(layout.unified, set.dir_for("unified"), layout.unified_controllers);
  return {};
}

}  // namespace

Result<Created> create(const Layout& layout, const CreateRequest& req,
                       const std::map<std::string, std::string>& own) {
  auto set = resolve(layout, req.cgroups_path, req.id, own);
  if (!set) return std::unexpected(set.error());
  auto resources = parse_resources(req.resources_json);
  if (!resources) return std::unexpected(resources.error());
  Created out;
  out.state.set = *set;
  auto& made = out.state.created;
  auto fail_with = [&](Error e) {
    undo(made);
    return std::unexpected(std::move(e));
  };
  if (auto r = prepare(layout, *set, made); !r) return fail_with(r.error());
  SetOptions opts;
  opts.at_create = true;
  if (auto r = set_resources(*set, *resources, opts); !r) {
    // Rootless containers cannot program the devices cgroup; runc ignores that too.
    bool device_denied = req.rootless && (r.error().code == EPERM || r.error().code == EACCES);
    if (!device_denied) return fail_with(r.error());
  }
  if (set->mode == Mode::v2) {
    std::string dir = set->dir_for("unified");
    out.clone_into.reset(::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!out.clone_into) return fail_with(sys_error("opening cgroup " + dir).error());
  }
  return out;
}

Result<void> apply(const CgroupSet& set, pid_t pid) {
  std::set<std::string> done;
  for (const auto& [controller, dir] : set.dirs) {
    if (!done.insert(dir).second) continue;
    if (auto r = write_file(dir, "cgroup.procs", std::to_string(pid)); !r)
      return std::unexpected(r.error().context("joining cgroup"));
  }
  return {};
}

}  // namespace keel::cgroup
