// Everything the container init needs after the clone. The child is a copy of the runtime's
// memory, so it simply reads this struct; fds in it are inherited (all CLOEXEC).
#pragma once

#include <sys/types.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "keel/fd.hpp"
#include "keel/plugins.hpp"
#include "keel/spec/model.hpp"
#include "keel/state.hpp"
#include "labels.hpp"
#include "namespaces.hpp"

namespace keel::rootfs {
struct Plan;
}
namespace keel::process {
struct ExecPlan;
}

namespace keel::runtime {

struct InitContext {
  const spec::Config* config = nullptr;
  std::string id;
  std::string bundle;                     // absolute
  std::string rootfs;                     // absolute host path of the rootfs
  std::string exec_path;                  // args[0] resolved inside the rootfs (container path)
  const ContainerState* state = nullptr;  // for the createContainer/startContainer hooks' stdin
  NamespacePlan* namespaces = nullptr;
  std::optional<SyscallFilter::Program> seccomp;
  int sync_fd = -1;       // child end of the socketpair
  int fifo_path_fd = -1;  // O_PATH fd of <state dir>/exec.fifo
  int preserve_fds = 0;
  int console_socket_fd = -1;
  LabelPlan labels;  // connected --console-socket when process.terminal
  bool no_pivot = false;
  bool no_new_keyring = false;
  pid_t parent_pid = 0;
  std::map<std::string, std::string> cgroup_paths;  // controller -> host dir, for cgroup mounts
  std::shared_ptr<rootfs::Plan> rootfs_plan;        // built in the init, kept across pivot
  std::shared_ptr<process::ExecPlan> exec_plan;     // from finalize, used by exec
  // The runtime's own fds the init must drop at once: the container lock (a held flock would
  // block every later command) and the parent's end of the sync socket (EOF must mean death).
  std::vector<int> close_at_start;
};

// Whether the parent runs prestart or createRuntime hooks after the init's mounts. Without them
// the init does not stop there to ask (run_hooks / hooks_done): both sides decide from the spec.
inline bool parent_runs_hooks(const spec::Config& cfg) {
  return cfg.hooks && (!cfg.hooks->prestart.empty() || !cfg.hooks->create_runtime.empty());
}

// The init's whole life before execve. Never returns: execs the container process or reports
// the error on the sync socket and exits.
[[noreturn]] void init_main(InitContext& ctx);

}  // namespace keel::runtime
