// pause / resume: freeze or thaw the container's cgroup and record it, under the container lock.
#include "keel/manage.hpp"
#include "managed.hpp"

namespace keel::manage {
namespace {

// runc asks the freezer, not its own record: a cgroup frozen behind our back is paused too.
bool kernel_says_paused(const CgroupManager& m, const ContainerState& st) {
  auto state = m.freezer_state(st.cgroup_state);
  return state && *state == "paused";
}

Result<void> set_paused(const GlobalOptions& g, const std::string& id, bool pause) {
  StateStore store(g.root);
  auto lock = store.lock(id);
  if (!lock) return std::unexpected(lock.error());
  auto c = detail::open_container(store, id);
  if (!c) return std::unexpected(c.error());
  Status status = c->status;
  if (status == Status::stopped) {
    return fail(pause ? "container not running" : "container not paused", pause ? ESRCH : EINVAL);
  }
  auto manager = detail::recorded_manager(c->state);
  if (!manager) return std::unexpected(manager.error());
  if (status != Status::paused && kernel_says_paused(*manager, c->state)) status = Status::paused;
  if (pause && status == Status::paused) return fail("container not running", ESRCH);
  if (!pause && status != Status::paused) return fail("container not paused");
  if (auto r = manager->freeze(c->state.cgroup_state, pause); !r) return r;
  c->state.paused = pause;
  if (auto w = store.write(c->state); !w) {
    (void)manager->freeze(c->state.cgroup_state, !pause);  // keep the record and kernel in step
    return w;
  }
  return {};
}

}  // namespace

Result<void> pause_container(const GlobalOptions& g, const std::string& id) {
  return set_paused(g, id, true);
}

Result<void> resume_container(const GlobalOptions& g, const std::string& id) {
  return set_paused(g, id, false);
}

}  // namespace keel::manage
