#include "seccomp_program.hpp"

#include <cerrno>

namespace keel::runtime {

Result<std::optional<SyscallFilter::Program>> compile_seccomp(const PluginHost& host,
                                                              const spec::Config& config,
                                                              const std::string& state_root) {
  if (!config.linux || !config.linux->seccomp) return std::nullopt;
  auto filter = host.syscall_filter();
  if (!filter) return std::unexpected(filter.error());
  if (!*filter)
    return fail("the spec has linux.seccomp but no syscall filter plugin is available", ENOTSUP);
  auto prog = (*filter)->compile(config.seccomp_json, state_root + "/@seccomp-cache");
  if (!prog) return std::unexpected(prog.error().context("compiling seccomp profile"));
  return std::optional(std::move(*prog));
}

}  // namespace keel::runtime
