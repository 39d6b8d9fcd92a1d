// What `create` validates before it touches anything: the rootfs and args[0] inside it, so a
// missing binary fails create (engines map that message to exit code 127), not start.
#pragma once

#include <string>

#include "keel/error.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

struct CreateChecks {
  std::string rootfs;     // absolute host path
  std::string exec_path;  // args[0] as the init will execve it (a path inside the container)
};

Result<CreateChecks> check_before_create(const spec::Config& config, const std::string& bundle);

}  // namespace keel::runtime
