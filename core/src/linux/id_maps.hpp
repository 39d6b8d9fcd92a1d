// uid_map / gid_map of a new user namespace, written by the runtime for its child.
#pragma once

#include <sys/types.h>

#include "keel/error.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

Result<void> write_id_maps(pid_t pid, const spec::Config& config);

}  // namespace keel::runtime
