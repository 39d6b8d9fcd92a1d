// `create` up to the point where the init waits on exec.fifo: shared by create and run.
#pragma once

#include <sys/types.h>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/lifecycle.hpp"
#include "keel/spec/model.hpp"
#include "keel/state.hpp"

namespace keel::runtime {

struct Launched {
  ContainerState state;
  spec::Config config;
  pid_t pid = 0;
  UniqueFd pidfd;  // of the init
  UniqueFd sync;   // parent end; EOF after the init's execve (CLOEXEC)
  UniqueFd lock;   // the per-id lock, held until the caller drops it
};

Result<Launched> launch_container(const GlobalOptions& g, const CreateOptions& o);

}  // namespace keel::runtime
