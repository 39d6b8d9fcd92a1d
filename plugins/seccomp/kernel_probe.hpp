// What the running kernel's seccomp(2) accepts, asked without installing anything.
#pragma once

#include <cstdint>

namespace keel::seccomp {

// seccomp(SECCOMP_SET_MODE_FILTER, flag, NULL): EFAULT means the flag passed validation.
bool kernel_supports_flag(uint32_t flag);
// seccomp(SECCOMP_GET_ACTION_AVAIL) for a SECCOMP_RET_* action.
bool kernel_supports_action(uint32_t action);

}  // namespace keel::seccomp
