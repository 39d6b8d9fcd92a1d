// `create` up to the point where the init waits on exec.fifo: shared by create and run.
#pragma once

#include <sys/types.h>

#include <optional>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/lifecycle.hpp"
#include "keel/plugins.hpp"
#include "keel/spec/model.hpp"
#include "keel/state.hpp"

namespace keel::runtime {

struct Launched {
  ContainerState state;
  spec::Config config;
  std::optional<CgroupManager> cgroup_manager;  // the plugin's ops, loaded for this process
  pid_t pid = 0;
  UniqueFd pidfd;         // of the init
  UniqueFd sync;          // parent end; EOF after the init's execve (CLOEXEC)
  UniqueFd lock;          // the per-id lock, held until the caller drops it
  bool terminal = false;  // process.terminal
};

// `own_console`: for `run` in the foreground, a socket whose peer the runtime reads the pty
// master from when process.terminal is set and no --console-socket was given.
Result<Launched> launch_container(const GlobalOptions& g, const CreateOptions& o,
                                  UniqueFd own_console = {});

}  // namespace keel::runtime
