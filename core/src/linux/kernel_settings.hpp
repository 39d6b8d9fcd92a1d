// Per-container kernel settings applied by the init inside its namespaces after pivot_root:
// hostname, domainname and sysctls (through a verified /proc/sys).
#pragma once

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

Result<void> apply_kernel_settings(const spec::Config& config);

}  // namespace keel::runtime
