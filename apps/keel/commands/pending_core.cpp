// Weak stand-ins for core entry points other areas are still writing (lifecycle: helper
// "runtime"; plugin host: helper "plugins"). keel_runtime and keel_plugin_host are linked whole
// (see CMakeLists.txt), so as soon as an area defines a function, its strong definition replaces
// the stand-in here; nothing in this file ever shadows a real implementation.
#include "keel/lifecycle.hpp"
#include "keel/plugins.hpp"

#define KEEL_PENDING __attribute__((weak))

namespace keel {
namespace {
std::unexpected<Error> pending(const char* what) {
  return fail(std::string(what) + ": not implemented yet", ENOSYS);
}
}  // namespace

KEEL_PENDING Result<void> create_container(const GlobalOptions&, const CreateOptions&) {
  return pending("create");
}
KEEL_PENDING Result<void> start_container(const GlobalOptions&, const std::string&) {
  return pending("start");
}
KEEL_PENDING Result<int> run_container(const GlobalOptions&, const RunOptions&) {
  return pending("run");
}
KEEL_PENDING Result<void> kill_container(const GlobalOptions&, const std::string&, int, bool) {
  return pending("kill");
}
KEEL_PENDING Result<void> delete_container(const GlobalOptions&, const std::string&, bool) {
  return pending("delete");
}

KEEL_PENDING Result<PluginConfig> load_plugin_config() {
  return pending("loading plugin config");
}
KEEL_PENDING PluginHost::PluginHost(PluginConfig config) : config_(std::move(config)) {}
KEEL_PENDING std::vector<PluginInfo> PluginHost::discover() const {
  return {};
}
KEEL_PENDING Result<CgroupManager> PluginHost::cgroup_manager(bool) const {
  return pending("cgroup manager");
}
KEEL_PENDING Result<std::optional<SyscallFilter>> PluginHost::syscall_filter() const {
  return std::optional<SyscallFilter>{};
}
KEEL_PENDING Result<std::optional<Labeler>> PluginHost::labeler(const std::string&) const {
  return std::optional<Labeler>{};
}
KEEL_PENDING Result<std::string> CgroupManager::features() const {
  return pending("cgroup features");
}
KEEL_PENDING Result<std::string> SyscallFilter::features() const {
  return pending("seccomp features");
}
KEEL_PENDING bool Labeler::enabled() const {
  return false;
}

}  // namespace keel
