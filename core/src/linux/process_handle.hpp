// A host process the runtime refers to by pid: its start time (pid reuse guard), a pidfd to
// signal and wait on it without races, and bounded waits for it to go away.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>

#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel::runtime {

// Field 22 (starttime, clock ticks since boot) of /proc/<pid>/stat.
Result<uint64_t> process_start_time(pid_t pid);

// pidfd_open(2) of pid, only if it still has the recorded start time (never a reused pid).
Result<UniqueFd> open_pidfd_checked(pid_t pid, uint64_t start_time);
Result<UniqueFd> open_pidfd(pid_t pid);

Result<void> pidfd_signal(int pidfd, int signal);

// Polls the pidfd until the process exits; false on timeout.
bool wait_pidfd_exit(int pidfd, std::chrono::milliseconds timeout);

}  // namespace keel::runtime
