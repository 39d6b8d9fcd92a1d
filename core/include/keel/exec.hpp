// `exec`: a new process inside a running container, as runc's `exec` (issue 5). It joins the
// init's namespaces through /proc/<init pid>/ns/*, its cgroup, and gets the process attributes
// and seccomp filter through the same finalize as the init.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/error.hpp"
#include "keel/lifecycle.hpp"

namespace keel {

struct ExecOptions {
  std::string id;
  std::string process_file;                  // --process: a process.json replaces the flags
  std::vector<std::string> args;             // the command, when no --process
  std::vector<std::string> env;              // --env NAME=VALUE, over config.process.env
  std::string cwd;                           // --cwd
  std::string user;                          // --user uid[:gid]
  std::vector<std::string> additional_gids;  // --additional-gids
  std::vector<std::string> caps;             // --cap CAP_X (added to every set but ambient)
  bool no_new_privs = false;
  bool tty = false;
  std::string console_socket;
  std::string pidfd_socket;
  std::string pid_file;
  std::string process_label;
  std::string apparmor;
  std::string cgroup;  // --cgroup [<controller>:]<sub-cgroup>
  int preserve_fds = 0;
  bool detach = false;
  bool ignore_paused = false;
  bool no_subreaper = false;
};

// Starts the process. Detached: 0 once it runs (after its execve). Foreground: waits and
// returns its exit code, 128+N when it died of signal N, forwarding signals meanwhile.
Result<int> exec_container(const GlobalOptions&, const ExecOptions&);

}  // namespace keel
