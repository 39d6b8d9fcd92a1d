// Pieces of `exec` shared between its files: the Process built from the flags, and the child's
// side of the runtime <-> exec'd process conversation.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "keel/error.hpp"
#include "keel/exec.hpp"
#include "keel/fd.hpp"
#include "keel/plugins.hpp"
#include "keel/spec/model.hpp"
#include "labels.hpp"

namespace keel::exec_detail {

// runc's getProcess: the --process file as is, or the container's config.process with the
// command and the flags laid over it.
Result<spec::Process> build_process(const ExecOptions& o, const spec::Config& config);

// A namespace of the init that differs from the runtime's own, opened before the clone.
struct NamespaceFd {
  int flag = 0;  // CLONE_NEW*
  UniqueFd fd;
};

// Everything the child needs; it is a copy of the runtime's memory after clone3.
struct ChildContext {
  const spec::Process* process = nullptr;
  std::optional<spec::Personality> personality;
  std::vector<NamespaceFd> joins;  // user first, mount last (pid is entered by the parent)
  std::optional<SyscallFilter::Program> seccomp;
  runtime::LabelPlan labels;
  int sync_fd = -1;            // child end of the SEQPACKET pair
  int console_socket_fd = -1;  // receives the pty master when process.terminal
  int preserve_fds = 0;
  std::vector<int> close_at_start;      // the runtime's fds the child must drop at once
  std::optional<sigset_t> signal_mask;  // put back at once (the runtime's is all-blocked)
};

[[noreturn]] void child_main(ChildContext& ctx);

}  // namespace keel::exec_detail
