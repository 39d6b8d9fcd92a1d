// The spec's seccomp vocabulary (actions, architectures, operators, flags) and what each name
// means to libseccomp and the kernel. The lists are what `keel features` reports.
#pragma once

#include <seccomp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::seccomp {

enum class ActionKind { kill_thread, kill_process, trap, errno_, trace, allow, log, notify };

struct ActionName {
  std::string_view name;
  ActionKind kind;
};
struct ArchName {
  std::string_view name;
  uint32_t token;  // SCMP_ARCH_*, 0 when this libseccomp does not know the architecture
};
struct OperatorName {
  std::string_view name;
  scmp_compare op;
};
struct FlagName {
  std::string_view name;
  uint32_t bit;  // SECCOMP_FILTER_FLAG_*
};

std::optional<ActionKind> find_action(std::string_view name);
std::optional<ArchName> find_arch(std::string_view name);
std::optional<scmp_compare> find_operator(std::string_view name);
std::optional<FlagName> find_flag(std::string_view name);

// The libseccomp action for a kind; errno_ret is used by ERRNO (default EPERM) and TRACE.
uint32_t action_value(ActionKind kind, std::optional<uint32_t> errno_ret);

// Sorted like runc's features output.
std::vector<std::string_view> known_actions();
std::vector<std::string_view> known_archs();
std::vector<std::string_view> known_operators();
std::vector<std::string_view> known_flags();  // spec order: TSYNC, SPEC_ALLOW, LOG, WAIT_KILLABLE

}  // namespace keel::seccomp
