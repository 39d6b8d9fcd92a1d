// args[0] lookup inside a container root, with runc's (Go's exec.LookPath) error wording, which
// Docker and Podman turn into exit codes 127 ("not found") and 126 ("permission denied").
#pragma once

#include <string>

#include "keel/error.hpp"
#include "keel/spec/model.hpp"

namespace keel::process {

// Finds process.args[0] inside `rootfs` (a host path; "/" after pivot_root) and returns its
// absolute in-container path.
// - args[0] with a '/' is used as is; when relative it is taken from process.cwd ("/" if empty).
// - otherwise every entry of the last PATH= in process.env is tried in order; with no PATH
//   nothing is found, as with runc 1.1 (Go's LookPath over an empty $PATH). An entry that is
//   empty or relative finds only "relative to current directory" matches, refused like Go does.
// Every path is resolved with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS) from an O_PATH fd
// of rootfs, so symlinks never lead out of it. A match must be a regular file with an exec bit.
// Errors (message exactly as runc prints it, errno set):
//   exec: "foo": executable file not found in $PATH                      (ENOENT)
//   exec: "/nope": stat /nope: no such file or directory                 (ENOENT, ENOTDIR...)
//   exec: "/etc/passwd": permission denied                               (EACCES)
//   exec: "sh": cannot run executable found relative to current directory (ENOENT)
// Runs in the runtime process at create (before any clone) and may run again in the init after
// pivot_root with rootfs "/" (finalize() does), where bind mounts are visible too.
Result<std::string> resolve_executable(const std::string& rootfs, const spec::Process& process);

}  // namespace keel::process
