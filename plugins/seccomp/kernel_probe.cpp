#include "kernel_probe.hpp"

#include <errno.h>
#include <linux/seccomp.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace keel::seccomp {

bool kernel_supports_flag(uint32_t flag) {
  // The kernel only accepts WAIT_KILLABLE_RECV together with NEW_LISTENER.
  if (flag & (1u << 5)) flag |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
  long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, nullptr);
  return rc < 0 && errno == EFAULT;
}

bool kernel_supports_action(uint32_t action) {
  return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

}  // namespace keel::seccomp
