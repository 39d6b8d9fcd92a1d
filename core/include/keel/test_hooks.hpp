// Test-only crash injection: KEEL_TEST_STEP("cgroup-created") marks a named step of create.
// Built with -DKEEL_TEST_HOOKS=ON (the default for test builds, never for Release: see the
// top-level CMakeLists.txt), a process whose environment has KEEL_TEST_PAUSE_AT=<step> writes
// "keel-test-step: paused at <step> pid <pid>" to stderr when it reaches that step and then
// waits forever, so a test can SIGKILL it exactly there (tests/integration/robustness/).
// Without the option the macro expands to nothing.
#pragma once

#ifdef KEEL_TEST_HOOKS

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace keel::test_hooks {

inline void step(const char* name) noexcept {
  const char* at = std::getenv("KEEL_TEST_PAUSE_AT");
  if (!at || std::strcmp(at, name) != 0) return;
  // The raw getpid: in a freshly cloned init glibc's cached ids are the parent's.
  std::string line = "keel-test-step: paused at " + std::string(name) + " pid " +
                     std::to_string(::syscall(SYS_getpid)) + "\n";
  (void)!::write(2, line.data(), line.size());
  // pause(), not SIGSTOP: a pid namespace's init ignores a SIGSTOP it sends itself.
  for (;;) ::pause();
}

}  // namespace keel::test_hooks

#define KEEL_TEST_STEP(name) ::keel::test_hooks::step(name)
#else
#define KEEL_TEST_STEP(name) ((void)0)
#endif
