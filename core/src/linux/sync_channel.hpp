// The runtime <-> container init conversation over a SOCK_SEQPACKET socketpair: one message per
// step (go, hooks, ready, error), so neither side ever parses a byte stream.
#pragma once

#include <cstdint>
#include <string>

#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel::runtime {

enum class SyncType : uint32_t {
  go = 1,             // parent -> child: cgroup applied, id maps written, carry on
  run_hooks = 2,      // child -> parent: namespaces and mounts ready, run prestart/createRuntime
  hooks_done = 3,     // parent -> child: hooks succeeded, pivot and continue
  waiting_fifo = 4,   // child -> parent: everything is set up, blocking on exec.fifo
  error = 5,          // child -> parent: errno + message, the child exits after sending it
  listener_done = 6,  // parent -> child: the seccomp notify fd was handed to the agent
  listener = 7,       // child -> parent: carries the seccomp notify fd (SCM_RIGHTS)
};

struct SyncMessage {
  SyncType type = SyncType::error;
  int32_t err = 0;
  std::string text;
  UniqueFd fd;  // an fd passed along with the message, if any
};

Result<void> sync_send(int fd, SyncType type, int err = 0, std::string_view text = {});
// Sends a message with `pass_fd` attached (SCM_RIGHTS).
Result<void> sync_send_fd(int fd, SyncType type, int pass_fd);
// Blocks for the next message. EOF (peer closed) is an error with code EPIPE.
Result<SyncMessage> sync_recv(int fd);
// Receives and checks that the message is `want`; an error message from the child becomes the
// returned error (its errno and text).
Result<void> sync_expect(int fd, SyncType want);

}  // namespace keel::runtime
