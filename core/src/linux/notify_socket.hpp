// sd_notify proxy (runc's notify_socket.go): when keel runs with NOTIFY_SOCKET set (systemd
// Type=notify, podman's --sdnotify=container), create gives the container its own datagram
// socket at /run/notify/notify.sock (the state dir's notify/ bound read-only there), and
// start/run --detach relay its READY=1 to the host socket, followed by MAINPID=<init pid>, then
// wait on an sd_notify barrier (as runc 1.2+) so they do not exit before the manager has read it.
// Foreground run forwards every datagram while it waits (Foreground::relay_notify), with
// MAINPID=<keel's own pid> after READY=, since the runtime stays the service's main process.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

// $NOTIFY_SOCKET when set and not empty.
std::optional<std::string> notify_socket_host();

// create: adds the bind mount and NOTIFY_SOCKET=/run/notify/notify.sock to the spec, and creates
// <container_dir>/notify (0755).
Result<void> setup_notify_socket(spec::Config& config, const std::string& container_dir);

// start/run: binds <container_dir>/notify/notify.sock (mode 0777 so any container user can
// write). Empty when the container was created without a notify socket.
Result<UniqueFd> bind_notify_socket(const std::string& container_dir);

// One datagram to the host socket (a path, or "@name" for an abstract socket); `flags` for
// sendto (MSG_DONTWAIT in the foreground loop).
Result<void> send_to_notify_host(const std::string& host, std::string_view text, int flags);

// What foreground run passes on for one datagram from the container: its lines (newline
// terminated) without any MAINPID= (a container must not point the host's service manager at
// another process), then MAINPID=<main_pid> when it had a READY= line. Empty when nothing is left.
std::string notify_forward_text(std::string_view datagram, pid_t main_pid);

// Waits for a READY= line on `sock` (or the init's exit), forwards it and MAINPID=<pid1> to
// `host`, then sends BARRIER=1 and waits (at most 30 s) until the manager closes the barrier fd.
Result<void> relay_notify(int sock, const std::string& host, pid_t pid1, int pidfd);

}  // namespace keel::runtime
