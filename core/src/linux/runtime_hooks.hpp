// Running OCI hooks from the runtime (prestart, createRuntime, poststart, poststop) and from the
// init (createContainer, startContainer), each with the container state JSON on stdin.
#pragma once

#include <string>
#include <vector>

#include "keel/error.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

// Runs hooks in order; the first failure stops and is returned ("<stage> hook #<n>: ...").
Result<void> run_runtime_hooks(const std::vector<spec::Hook>& hooks, const std::string& state,
                               std::string_view stage);

}  // namespace keel::runtime
