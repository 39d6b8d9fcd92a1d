// The container's seccomp program, compiled in the runtime before any clone (create and exec).
#pragma once

#include <optional>
#include <string>

#include "keel/error.hpp"
#include "keel/plugins.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

// nullopt when the spec has no linux.seccomp. Fails closed when it has one and no syscall
// filter plugin is installed. Programs are cached per profile under <root>/@seccomp-cache
// ("@" cannot start a container id, so the cache never collides with, or lists as, one).
Result<std::optional<SyscallFilter::Program>> compile_seccomp(const PluginHost& host,
                                                              const spec::Config& config,
                                                              const std::string& state_root);

}  // namespace keel::runtime
