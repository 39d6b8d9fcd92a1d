#include "keel/lifecycle.hpp"
#include "launch.hpp"

namespace keel {

Result<void> create_container(const GlobalOptions& g, const CreateOptions& o) {
  auto launched = runtime::launch_container(g, o);
  if (!launched) return std::unexpected(launched.error());
  return {};
}

}  // namespace keel
