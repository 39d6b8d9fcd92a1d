// linux.seccomp parsed and validated: every name is resolved to its libseccomp value here, so
// errors name the rule (`linux.seccomp.syscalls[4]: unknown action "SCMP_ACT_FOO"`) and the
// filter builder never meets bad input.
#pragma once

#include <seccomp.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/error.hpp"
#include "names.hpp"

namespace keel::seccomp {

struct Condition {
  unsigned index = 0;  // 0..5
  scmp_compare op = SCMP_CMP_EQ;
  uint64_t value = 0, value_two = 0;
};

// One syscall name of one syscalls[] entry (runc expands `names` the same way).
struct Rule {
  std::string name;
  size_t entry = 0;  // position in linux.seccomp.syscalls, for messages
  ActionKind kind = ActionKind::allow;
  uint32_t action = 0;  // libseccomp value, errnoRet applied
  std::vector<Condition> conditions;
};

struct Profile {
  bool disabled = false;  // no defaultAction and no syscalls: runc installs nothing
  ActionKind default_kind = ActionKind::allow;
  uint32_t default_action = 0;
  std::optional<uint32_t> default_errno_ret;
  std::vector<uint32_t> arches;           // SCMP_ARCH_* tokens, in spec order
  std::vector<FlagName> requested_flags;  // as named by the spec
  bool flags_given = false;               // "flags" present (even empty) vs absent
  std::string listener_path;
  std::vector<Rule> rules;
  bool uses_notify = false;
};

Result<Profile> parse_profile(std::string_view json);

}  // namespace keel::seccomp
