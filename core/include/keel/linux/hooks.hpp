// OCI hooks: run each hook of one phase in order, as runc's configs.Command.Run does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keel/error.hpp"
#include "keel/spec/model.hpp"

namespace keel::process {

// For each hook, in order: fork + execve(path, args, env) with the container's state JSON on
// stdin (written, then closed), stdout and stderr captured. args[0] is the hook's argv[0]
// ({path} when args is empty). A hook with an empty env inherits the caller's environ, as
// runc's exec.Cmd does with a nil Env; otherwise it gets exactly its env.
// timeout (seconds) is enforced with a pidfd + poll: on expiry the hook gets SIGKILL. Every hook
// is reaped before this returns (no zombie), no thread and no SIGCHLD handler are used.
// The first failing hook stops the phase; errors carry runc's wording:
//   error running <phase> hook #<i>: error running hook: exit status 1, stdout: <out>, stderr:
//   <err> error running <phase> hook #<i>: error running hook: signal: killed, stdout: , stderr:
//   error running <phase> hook #<i>: hook ran past specified timeout of 2.0s
//   error running <phase> hook #<i>: fork/exec /nope: no such file or directory
// phase is the spec's name: prestart, createRuntime, createContainer, startContainer,
// poststart, poststop. Runs in the runtime process, or in the init for createContainer and
// startContainer (after pivot_root, so path is looked up in the container).
Result<void> run_hooks(const std::vector<spec::Hook>& hooks, std::string_view phase,
                       const std::string& state_json);

}  // namespace keel::process
