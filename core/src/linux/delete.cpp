// delete: tear down a stopped (or, with --force, any) container: init, cgroup, poststop hooks,
// state dir.
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "keel/lifecycle.hpp"
#include "keel/log.hpp"
#include "keel/plugins.hpp"
#include "keel/spec/parse.hpp"
#include "lifecycle_internal.hpp"
#include "process_handle.hpp"
#include "runtime_hooks.hpp"

namespace keel {
namespace runtime {
namespace {

Result<std::optional<CgroupManager>> recorded_manager(const ContainerState& st) {
  if (st.cgroup_manager.empty()) return std::nullopt;
  PluginHost host(load_plugin_config().value_or(PluginConfig{}));
  auto manager = host.cgroup_manager_named(st.cgroup_manager);
  if (!manager) return std::unexpected(manager.error());
  return std::optional(*manager);
}

}  // namespace

Result<void> kill_and_wait(const ContainerState& st) {
  auto pidfd = open_pidfd_checked(st.init_pid, st.init_start_time);
  if (!pidfd) return {};  // already gone
  if (st.paused) {
    // A frozen init cannot act on SIGKILL; thaw it first (runc does the same).
    auto manager = recorded_manager(st);
    if (manager && *manager) (void)(*manager)->freeze(st.cgroup_state, false);
  }
  if (auto r = pidfd_signal(pidfd->get(), SIGKILL); !r && r.error().code != ESRCH) return r;
  if (!wait_pidfd_exit(pidfd->get(), std::chrono::seconds(10)))
    return fail("container init did not exit within 10s of SIGKILL", ETIMEDOUT);
  return {};
}

Result<void> teardown(StateStore& store, const ContainerState& st,
                      const std::optional<CgroupManager>& manager, const spec::Config* cfg) {
  std::string cgroup_state = st.cgroup_state;
  if (manager && cgroup_state.empty() && cfg) {
    // A create killed between the manager's create and recording its state: ask the manager
    // again for the same cgroup (no resources: nothing is set), so it can be destroyed.
    spec::Config request_cfg = *cfg;
    request_cfg.resources_json.clear();
    auto again = manager->create(cgroup_request(st.id, request_cfg));
    if (again) cgroup_state = again->state;
  }
  if (manager && !cgroup_state.empty()) {
    // Processes left in a shared pid namespace outlive the init: kill them before rmdir.
    (void)manager->kill_all(cgroup_state, SIGKILL);
    if (auto r = manager->destroy(cgroup_state); !r) return r;
  }
  if (cfg && cfg->hooks && !cfg->hooks->poststop.empty()) {
    auto r =
        run_runtime_hooks(cfg->hooks->poststop, state_json(st, Status::stopped, false), "poststop");
    if (!r) log::warning(r.error().message);  // like runc: logged, delete goes on
  }
  return store.remove(st.id);
}

Result<void> teardown(StateStore& store, const ContainerState& st) {
  auto manager = recorded_manager(st);
  if (!manager) return std::unexpected(manager.error());
  auto cfg = spec::parse_config(st.config_json);
  return teardown(store, st, *manager, cfg ? &*cfg : nullptr);
}

}  // namespace runtime

Result<void> delete_container(const GlobalOptions& g, const std::string& id, bool force) {
  StateStore store(g.root);
  auto lock = store.lock(id);
  if (!lock) {
    if (force && lock.error().code == ENOENT) {
      // A create killed between its mkdir and its lock file leaves an empty dir: rmdir removes
      // only that (it fails on anything with content), so --force leaves nothing behind.
      ::rmdir(store.dir_of(id).c_str());
      return {};
    }
    return std::unexpected(lock.error());
  }
  auto st = store.read(id);
  if (!st) {
    if (force) return store.remove(id);
    return std::unexpected(st.error());
  }
  Status status = derive_status(*st, store.dir_of(id));
  // runc deletes a created container without --force: nothing of it has run yet.
  if (status != Status::stopped && status != Status::created && !force)
    return fail("cannot delete container " + id +
                " that is not stopped: " + std::string(to_string(status)));
  if (status != Status::stopped) {
    if (auto r = runtime::kill_and_wait(*st); !r) return r;
  }
  return runtime::teardown(store, *st);
}

}  // namespace keel
