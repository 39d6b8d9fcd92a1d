#include "runtime_hooks.hpp"

#include "keel/linux/hooks.hpp"

namespace keel::runtime {

Result<void> run_runtime_hooks(const std::vector<spec::Hook>& hooks, const std::string& state,
                               std::string_view stage) {
  return process::run_hooks(hooks, stage, state);
}

}  // namespace keel::runtime
