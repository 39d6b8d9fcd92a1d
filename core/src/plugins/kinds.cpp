// Names of plugin kinds: the stable ones `keel plugins` prints and the ones messages use.
#include "keel/plugins.hpp"
#include "loader.hpp"

namespace keel {

std::string_view plugin_kind_name(uint32_t kind) {
  switch (kind) {
    case KEEL_PLUGIN_CGROUP_MANAGER:
      return "cgroup-manager";
    case KEEL_PLUGIN_SYSCALL_FILTER:
      return "syscall-filter";
    case KEEL_PLUGIN_LABELER:
      return "labeler";
    case KEEL_PLUGIN_CHECKPOINTER:
      return "checkpointer";
  }
  return "unknown";
}

namespace plugin_loader {

std::string_view kind_label(uint32_t kind) {
  switch (kind) {
    case KEEL_PLUGIN_CGROUP_MANAGER:
      return "cgroup manager";
    case KEEL_PLUGIN_SYSCALL_FILTER:
      return "syscall filter";
    case KEEL_PLUGIN_LABELER:
      return "labeler";
    case KEEL_PLUGIN_CHECKPOINTER:
      return "checkpointer";
  }
  return "unknown kind";
}

}  // namespace plugin_loader
}  // namespace keel
