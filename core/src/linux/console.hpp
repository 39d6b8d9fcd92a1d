// process.terminal: the init allocates a pty from the container's devpts after pivot_root, hands
// the master to the engine over --console-socket (SCM_RIGHTS, as runc) and makes the slave its
// controlling terminal and stdio.
#pragma once

#include <optional>
#include <string>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

// Runtime side, before the clone: connects to the engine's unix socket.
Result<UniqueFd> connect_console_socket(const std::string& path);

// Connects to `path` and sends `fd` with `name` as data (runc's utils.SendFile), e.g. the init's
// pidfd for --pidfd-socket.
Result<void> send_fd_to_socket(const std::string& path, int fd, const std::string& name);

// Init side, after pivot_root: pty from /dev/pts/ptmx, master sent on `socket_fd`, slave bound
// at /dev/console, then setsid + TIOCSCTTY + dup2 onto 0, 1 and 2.
Result<void> setup_console(int socket_fd, const std::optional<spec::ConsoleSize>& size);

}  // namespace keel::runtime
