// Pieces shared by the lifecycle commands (start is reused by run, teardown by delete and run).
#pragma once

#include <optional>
#include <string>

#include "keel/error.hpp"
#include "keel/plugins.hpp"
#include "keel/spec/model.hpp"
#include "keel/state.hpp"

namespace keel::runtime {

// Lets a created container's init proceed to execve and runs poststart hooks.
// The caller holds the container's lock.
Result<void> start_created(StateStore& store, const ContainerState& st);
// The same for the process that created it (run), which still holds the init's pidfd and the
// parsed spec: no second look at /proc and no second parse of the config.
Result<void> start_created(StateStore& store, const ContainerState& st, int pidfd,
                           const spec::Config& cfg);

// Destroys the cgroup, runs poststop hooks (failures logged) and removes the state dir.
// The init must already be dead.
Result<void> teardown(StateStore& store, const ContainerState& st);
// The same with the manager and spec the caller already has (run: no second plugin lookup or
// config parse). `manager` empty: the container has no cgroup; `cfg` null: no spec.
Result<void> teardown(StateStore& store, const ContainerState& st,
                      const std::optional<CgroupManager>& manager, const spec::Config* cfg);

// SIGKILLs the init (thawing a paused container first) and waits, bounded, for it to die.
Result<void> kill_and_wait(const ContainerState& st);

// The cgroup manager plugin's create request for container `id` (launch.cpp).
std::string cgroup_request(const std::string& id, const spec::Config& cfg);

}  // namespace keel::runtime
