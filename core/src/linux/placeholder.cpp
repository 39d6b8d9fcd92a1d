// Placeholder lifecycle so the app links before the runtime area lands.
#include "keel/lifecycle.hpp"

namespace keel {
Result<void> create_container(const GlobalOptions&, const CreateOptions&) {
  return fail("create: not implemented yet");
}
Result<void> start_container(const GlobalOptions&, const std::string&) {
  return fail("start: not implemented yet");
}
Result<int> run_container(const GlobalOptions&, const RunOptions&) {
  return fail("run: not implemented yet");
}
Result<void> kill_container(const GlobalOptions&, const std::string&, int, bool) {
  return fail("kill: not implemented yet");
}
Result<void> delete_container(const GlobalOptions&, const std::string&, bool) {
  return fail("delete: not implemented yet");
}
}  // namespace keel
