// kill: one signal to the init through a pidfd (no plugin load), or --all through the recorded
// cgroup manager.
#include <csignal>

#include "keel/lifecycle.hpp"
#include "keel/plugins.hpp"
#include "keel/state.hpp"
#include "process_handle.hpp"

namespace keel {
namespace {

// The cgroup is no longer frozen after a thaw (or after kill_all, which freezes, signals and
// thaws on v1): record it so status stops saying "paused", as runc reads it from the freezer.
Result<void> record_thawed(StateStore& store, const std::string& id) {
  auto lock = store.lock(id);
  if (!lock) return std::unexpected(lock.error());
  auto st = store.read(id);
  if (!st) return std::unexpected(st.error());
  if (!st->paused) return {};
  st->paused = false;
  return store.write(*st);
}

Result<CgroupManager> recorded_manager(const ContainerState& st) {
  if (st.cgroup_manager.empty()) return fail("container has no cgroup to signal");
  PluginHost host(load_plugin_config().value_or(PluginConfig{}));
  return host.cgroup_manager_named(st.cgroup_manager);
}

}  // namespace

Result<void> kill_container(const GlobalOptions& g, const std::string& id, int signal, bool all) {
  StateStore store(g.root);
  auto st = store.read(id);
  if (!st) return std::unexpected(st.error());
  if (all) {
    auto manager = recorded_manager(*st);
    if (!manager) return std::unexpected(manager.error());
    if (auto r = manager->kill_all(st->cgroup_state, signal); !r) return r;
    return st->paused ? record_thawed(store, id) : Result<void>{};
  }
  if (derive_status(*st, store.dir_of(id)) == Status::stopped)
    return fail("container not running", ESRCH);
  auto pidfd = runtime::open_pidfd_checked(st->init_pid, st->init_start_time);
  if (!pidfd) return std::unexpected(pidfd.error());
  if (auto r = runtime::pidfd_signal(pidfd->get(), signal); !r) return r;
  // A frozen (v1) cgroup holds even SIGKILL until it is thawed: thaw it, as runc does, so the
  // container really dies.
  if (signal != SIGKILL || !st->paused) return {};
  auto manager = recorded_manager(*st);
  if (!manager) return std::unexpected(manager.error());
  if (auto r = manager->freeze(st->cgroup_state, false); !r) return r;
  return record_thawed(store, id);
}

}  // namespace keel
