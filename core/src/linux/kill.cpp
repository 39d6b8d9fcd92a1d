// kill: one signal to the init through a pidfd (no plugin load), or --all through the recorded
// cgroup manager.
#include "keel/lifecycle.hpp"
#include "keel/plugins.hpp"
#include "keel/state.hpp"
#include "process_handle.hpp"

namespace keel {

Result<void> kill_container(const GlobalOptions& g, const std::string& id, int signal, bool all) {
  StateStore store(g.root);
  auto st = store.read(id);
  if (!st) return std::unexpected(st.error());
  if (all) {
    if (st->cgroup_manager.empty()) return fail("container has no cgroup to signal");
    PluginHost host(load_plugin_config().value_or(PluginConfig{}));
    auto manager = host.cgroup_manager_named(st->cgroup_manager);
    if (!manager) return std::unexpected(manager.error());
    return manager->kill_all(st->cgroup_state, signal);
  }
  if (derive_status(*st, store.dir_of(id)) == Status::stopped)
    return fail("container not running", ESRCH);
  auto pidfd = runtime::open_pidfd_checked(st->init_pid, st->init_start_time);
  if (!pidfd) return std::unexpected(pidfd.error());
  return runtime::pidfd_signal(pidfd->get(), signal);
}

}  // namespace keel
