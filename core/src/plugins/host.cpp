// PluginHost: finds libkeel-<name>.so along the search path and hands out typed handles.
// Nothing here runs until a command asks for a plugin.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "keel/plugins.hpp"
#include "loader.hpp"

namespace keel {

namespace {

std::string file_name(const std::string& name) {
  return "libkeel-" + name + ".so";
}

// libkeel-<name>.so in `dir`, sorted; a missing or unreadable dir contributes nothing.
std::vector<std::string> plugin_files(const std::string& dir) {
  std::vector<std::string> files;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return files;
  while (dirent* ent = ::readdir(d)) {
    std::string n = ent->d_name;
    if (n.size() > 11 && n.starts_with("libkeel-") && n.ends_with(".so")) {
      files.push_back(dir + "/" + n);
    }
  }
  ::closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

std::string name_from_file(const std::string& path) {
  std::string base = path.substr(path.rfind('/') + 1);
  if (base.starts_with("libkeel-") && base.ends_with(".so"))
    return base.substr(8, base.size() - 11);
  return base;
}

}  // namespace

std::string default_plugin_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "/usr/lib/keel/plugins";
  return (exe.parent_path().parent_path() / "lib/keel/plugins").string();
}

PluginHost::PluginHost(PluginConfig config) : config_(std::move(config)) {}

std::vector<std::string> PluginHost::candidates(const std::string& name) const {
  std::vector<std::string> out;
  if (auto it = config_.explicit_paths.find(name); it != config_.explicit_paths.end()) {
    out.push_back(it->second);
  }
  for (const std::string& dir : config_.plugin_dirs) out.push_back(dir + "/" + file_name(name));
  out.push_back(default_plugin_dir() + "/" + file_name(name));
  return out;
}

Result<const keel_plugin_descriptor*> PluginHost::load_file(const std::string& path,
                                                            const std::string& options_json) {
  auto attempt = plugin_loader::load(path, [&](std::string_view) { return options_json; });
  if (attempt.error) return std::unexpected(*attempt.error);
  return attempt.descriptor;
}

// The first candidate that exists is the plugin: a refused file is an error, never a reason to
// fall back to a later directory (that would let a broken install silently change backends).
Result<std::optional<const keel_plugin_descriptor*>> PluginHost::find(const std::string& name,
                                                                      keel_plugin_kind kind) const {
  for (const std::string& path : candidates(name)) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) continue;
    auto attempt = plugin_loader::load(path, [&](std::string_view n) {
      auto it = config_.options_json.find(std::string(n));
      return it == config_.options_json.end() ? std::string("{}") : it->second;
    });
    if (attempt.error) return std::unexpected(*attempt.error);
    const keel_plugin_descriptor* d = attempt.descriptor;
    if (name != d->name) {
      return fail("plugin " + path + " calls itself \"" + d->name + "\", expected \"" + name + "\"",
                  ENOEXEC);
    }
    if (d->kind != static_cast<uint32_t>(kind)) {
      return fail("plugin " + path + " is a " + std::string(plugin_loader::kind_label(d->kind)) +
                      ", not a " + std::string(plugin_loader::kind_label(kind)),
                  ENOEXEC);
    }
    return d;
  }
  return std::nullopt;
}

namespace {

std::unexpected<Error> not_found(std::string_view what, const std::string& name,
                                 const std::vector<std::string>& looked) {
  std::string list;
  for (const auto& p : looked) list += (list.empty() ? "" : ", ") + p;
  return fail(std::string(what) + " plugin \"" + name + "\" not found (looked for " + list + ")",
              ENOENT);
}

}  // namespace

Result<CgroupManager> PluginHost::cgroup_manager(bool systemd) const {
  return cgroup_manager_named(systemd ? config_.systemd_cgroup_manager : config_.cgroup_manager);
}

Result<CgroupManager> PluginHost::cgroup_manager_named(const std::string& name) const {
  auto d = find(name, KEEL_PLUGIN_CGROUP_MANAGER);
  if (!d) return std::unexpected(d.error());
  if (!*d) return not_found("cgroup manager", name, candidates(name));
  return CgroupManager(static_cast<const keel_cgroup_ops*>((**d)->ops), name);
}

Result<std::optional<SyscallFilter>> PluginHost::syscall_filter() const {
  const std::string& name = config_.syscall_filter;
  if (name.empty()) return std::nullopt;
  auto d = find(name, KEEL_PLUGIN_SYSCALL_FILTER);
  if (!d) return std::unexpected(d.error());
  if (!*d) return std::nullopt;
  return SyscallFilter(static_cast<const keel_syscall_filter_ops*>((**d)->ops), name);
}

Result<std::optional<Labeler>> PluginHost::labeler(const std::string& name) const {
  auto d = find(name, KEEL_PLUGIN_LABELER);
  if (!d) return std::unexpected(d.error());
  if (!*d) return std::nullopt;
  return Labeler(static_cast<const keel_labeler_ops*>((**d)->ops), name);
}

Result<Checkpointer> PluginHost::checkpointer() const {
  const std::string& name = config_.checkpointer;
  if (name.empty()) return fail("no checkpointer plugin is configured", ENOENT);
  auto d = find(name, KEEL_PLUGIN_CHECKPOINTER);
  if (!d) return std::unexpected(d.error());
  if (!*d) return not_found("checkpointer", name, candidates(name));
  return Checkpointer(static_cast<const keel_checkpointer_ops*>((**d)->ops), name);
}

std::vector<PluginInfo> PluginHost::discover() const {
  std::vector<std::string> paths;
  std::set<std::string> explicit_files;
  for (const auto& [name, path] : config_.explicit_paths) {
    paths.push_back(path);
    explicit_files.insert(path);
  }
  std::vector<std::string> dirs = config_.plugin_dirs;
  dirs.push_back(default_plugin_dir());
  for (const std::string& dir : dirs) {
    for (std::string& f : plugin_files(dir)) paths.push_back(std::move(f));
  }

  std::vector<PluginInfo> out;
  std::set<std::pair<dev_t, ino_t>> seen;  // one report per file, however often it is listed
  for (const std::string& path : paths) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !seen.insert({st.st_dev, st.st_ino}).second) continue;
    auto attempt = plugin_loader::load(path, [&](std::string_view n) {
      auto it = config_.options_json.find(std::string(n));
      return it == config_.options_json.end() ? std::string("{}") : it->second;
    });
    PluginInfo info;
    info.path = path;
    info.name = name_from_file(path);
    if (const keel_plugin_descriptor* d = attempt.descriptor) {
      info.name = d->name;
      info.kind = plugin_kind_name(d->kind);
      info.version = d->version ? d->version : "";
      info.abi = std::to_string(d->abi_major) + "." + std::to_string(d->abi_minor);
    }
    // In a plugin dir the file name is how the plugin is found: a mismatch makes it unreachable.
    if (!attempt.error && !explicit_files.contains(path) && info.name != name_from_file(path)) {
      attempt.error = Error{ENOEXEC, "plugin " + path + " calls itself \"" + info.name +
                                         "\", expected \"" + name_from_file(path) + "\""};
    }
    info.loaded = !attempt.error;
    if (attempt.error) info.error = attempt.error->message;
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace keel
