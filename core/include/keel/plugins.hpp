// The host side of the plugin ABI: configuration, discovery, lazy loading with Boost.DLL, and
// typed C++ handles over each kind's C function table.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/plugin_abi.h"

namespace keel {

// /etc/keel/keel.json (or $KEEL_CONFIG) plus drop-ins from <config dir>/keel.d/*.json.
struct PluginConfig {
  std::vector<std::string> plugin_dirs;  // searched in order for libkeel-<name>.so
  std::string cgroup_manager = "cgroupfs";
  std::string systemd_cgroup_manager = "systemd";  // chosen by --systemd-cgroup
  std::string syscall_filter = "seccomp";
  std::vector<std::string> labelers = {"apparmor", "selinux"};
  std::string checkpointer = "criu";
  std::map<std::string, std::string> options_json;    // plugin name -> its options object as text
  std::map<std::string, std::string> explicit_paths;  // plugin name -> absolute .so (drop-ins)
  std::vector<std::string> files_read;  // the config file and drop-ins applied, in order
};

// Reads and validates the config; a missing default file means defaults. A malformed file is an
// error naming the file, the field (or line/column) and what was expected.
// The file is $KEEL_CONFIG when set (then it must exist), else /etc/keel/keel.json.
Result<PluginConfig> load_plugin_config();
// The same from an explicit file; `required` = false lets a missing file mean defaults.
// Drop-ins are read from <dir of path>/keel.d/*.json in name order either way.
Result<PluginConfig> load_plugin_config_file(const std::string& path, bool required);

// <dir of /proc/self/exe>/../lib/keel/plugins, searched after every configured plugin dir.
std::string default_plugin_dir();

// "cgroup-manager", "syscall-filter", "labeler", "checkpointer", or "unknown".
std::string_view plugin_kind_name(uint32_t kind);

struct PluginInfo {
  std::string name, kind, version, path, abi;
  bool loaded = false;
  std::string error;  // why it was refused
};

class CgroupManager {
 public:
  explicit CgroupManager(const keel_cgroup_ops* ops, std::string name)
      : ops_(ops), name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  struct Created {
    std::string state;    // the plugin's JSON, stored in ContainerState::cgroup_state
    UniqueFd clone_into;  // cgroup v2 dirfd for CLONE_INTO_CGROUP, or empty
  };
  Result<Created> create(const std::string& request_json) const;
  Result<void> apply(const std::string& state, pid_t pid) const;
  Result<void> set(const std::string& state, const std::string& resources_json) const;
  Result<void> freeze(const std::string& state, bool frozen) const;
  Result<std::string> freezer_state(const std::string& state) const;
  Result<std::string> stats(const std::string& state) const;
  Result<std::vector<pid_t>> pids(const std::string& state) const;
  Result<void> kill_all(const std::string& state, int signal) const;
  Result<void> destroy(const std::string& state) const;
  Result<std::string> features() const;
  Result<std::string> paths(const std::string& state) const;

 private:
  const keel_cgroup_ops* ops_;
  std::string name_;
};

class SyscallFilter {
 public:
  explicit SyscallFilter(const keel_syscall_filter_ops* ops, std::string name = "syscall filter")
      : ops_(ops), name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  struct Program {
    std::string bpf;  // raw struct sock_filter[]
    uint32_t flags = 0;
    bool needs_listener = false;
  };
  Result<Program> compile(const std::string& seccomp_json, const std::string& cache_dir) const;
  Result<std::string> features() const;

 private:
  const keel_syscall_filter_ops* ops_;
  std::string name_;
};

class Labeler {
 public:
  Labeler(const keel_labeler_ops* ops, std::string name) : ops_(ops), name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  bool enabled() const;
  Result<void> validate(const std::string& label) const;
  Result<void> set_exec_label(const std::string& label) const;
  Result<std::string> mount_option(const std::string& mount_label) const;
  Result<void> set_keyring_label(const std::string& label) const;

 private:
  const keel_labeler_ops* ops_;
  std::string name_;
};

class Checkpointer {
 public:
  Checkpointer(const keel_checkpointer_ops* ops, std::string name)
      : ops_(ops), name_(std::move(name)) {}
  const std::string& name() const { return name_; }
  Result<void> check() const;
  Result<void> dump(const std::string& request_json) const;
  Result<std::string> restore(const std::string& request_json) const;

 private:
  const keel_checkpointer_ops* ops_;
  std::string name_;
};

// Loads plugins by name, on first use only, and never unloads them. Constructing a host does no
// I/O: nothing is searched or loaded until a handle is asked for.
class PluginHost {
 public:
  explicit PluginHost(PluginConfig config);
  const PluginConfig& config() const { return config_; }

  // The configured cgroup manager (systemd one when `systemd` is true), or one by name.
  Result<CgroupManager> cgroup_manager(bool systemd) const;
  Result<CgroupManager> cgroup_manager_named(const std::string& name) const;
  // nullopt when no syscall filter plugin is installed (callers fail closed if the spec needs one).
  Result<std::optional<SyscallFilter>> syscall_filter() const;
  Result<std::optional<Labeler>> labeler(const std::string& name) const;
  // The configured checkpointer; an error when it is not installed (checkpoint needs it).
  Result<Checkpointer> checkpointer() const;

  // Every plugin file in every plugin dir and drop-in, loaded to report on it (`keel plugins`).
  std::vector<PluginInfo> discover() const;

  // Where libkeel-<name>.so is looked for, in order: the explicit path, each plugin dir, the
  // default dir.
  std::vector<std::string> candidates(const std::string& name) const;

  // Loads one file and checks it (ownership, mode, entry point, magic, ABI, kind, unique name),
  // then calls its init with `options_json` the first time the file is loaded in this process.
  // Exposed for tests of each refusal.
  static Result<const keel_plugin_descriptor*> load_file(const std::string& path,
                                                         const std::string& options_json = "{}");

 private:
  // Finds and loads the plugin `name`; nullopt when no candidate file exists.
  Result<std::optional<const keel_plugin_descriptor*>> find(const std::string& name,
                                                            keel_plugin_kind kind) const;
  PluginConfig config_;
};

}  // namespace keel
