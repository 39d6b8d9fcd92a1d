// Loading a container and the one cgroup manager plugin its state names.
#include "managed.hpp"

namespace keel::manage::detail {

Result<CgroupManager> recorded_manager(const ContainerState& st) {
  if (st.cgroup_manager.empty()) return fail("container " + st.id + " has no cgroup", ENOENT);
  auto config = load_plugin_config();
  if (!config) return std::unexpected(config.error());
  PluginHost host(std::move(*config));
  return host.cgroup_manager_named(st.cgroup_manager);
}

Result<Managed> open_container(const StateStore& store, const std::string& id) {
  auto st = store.read(id);
  if (!st) return std::unexpected(st.error());
  Managed m{*st, Status::stopped, store.dir_of(id)};
  m.status = derive_status(m.state, m.dir);
  return m;
}

}  // namespace keel::manage::detail
