// Operations that only need the container's cgroup dirs: freeze, freezer state, pids,
// kill every process, destroy. Shared by every cgroup manager plugin.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "keel/cgroup/paths.hpp"
#include "keel/error.hpp"

namespace keel::cgroup {

// Freezes (waiting until the kernel reports frozen, bounded) or thaws.
Result<void> freeze(const CgroupSet& set, bool frozen);
// "running", "paused" or "pausing".
Result<std::string> freezer_state(const CgroupSet& set);
// Every pid in the cgroup and its descendants.
Result<std::vector<pid_t>> all_pids(const CgroupSet& set);
// SIGKILL through cgroup.kill on v2 when present; else freeze, signal every pid, thaw.
Result<void> kill_all(const CgroupSet& set, int signal);
// Removes every dir of the set, children first, bounded EBUSY retries.
Result<void> destroy(const CgroupSet& set);

}  // namespace keel::cgroup
