// Internal: a container's state with its recorded cgroup manager, loaded for one command.
#pragma once

#include <optional>
#include <string>

#include "keel/lifecycle.hpp"
#include "keel/plugins.hpp"
#include "keel/state.hpp"

namespace keel::manage::detail {

struct Managed {
  ContainerState state;
  Status status = Status::stopped;
  std::string dir;  // <root>/<id>
};

// Reads the state and derives the status; a frozen cgroup counts as paused even when the state
// missed it (runc asks the freezer too).
Result<Managed> open_container(const StateStore& store, const std::string& id);

// The cgroup manager plugin recorded at create ("container <id> has no cgroup" when none).
// Only that plugin is loaded: nothing is scanned.
Result<CgroupManager> recorded_manager(const ContainerState& st);

}  // namespace keel::manage::detail
