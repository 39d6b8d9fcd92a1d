// Reads a container's usage counters into runc's `events --stats` "data" JSON object.
#pragma once

#include <string>

#include "keel/cgroup/paths.hpp"
#include "keel/error.hpp"

namespace keel::cgroup {

// {"cpu":{...},"memory":{...},"pids":{...},"blkio":{...},"hugetlb":{...}}
Result<std::string> stats_json(const CgroupSet& set);

}  // namespace keel::cgroup
