// Internal: one stats event line for a loaded container (shared by events --stats and the loop).
#pragma once

#include <string>

#include "keel/plugins.hpp"
#include "keel/state.hpp"

namespace keel::manage::detail {

Result<std::string> stats_line(const CgroupManager& manager, const ContainerState& st);

}  // namespace keel::manage::detail
