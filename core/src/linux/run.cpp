// run: create + start in one process; in the foreground, forward signals to the init (and its
// sd_notify datagrams to NOTIFY_SOCKET), wait for it and return its exit code, then delete the
// container unless --keep.
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <optional>

#include "foreground.hpp"
#include "keel/lifecycle.hpp"
#include "keel/log.hpp"
#include "launch.hpp"
#include "lifecycle_internal.hpp"
#include "notify_socket.hpp"
#include "process_handle.hpp"
#include "pty_relay.hpp"
#include "sync_channel.hpp"

namespace keel {
namespace runtime {
namespace {

// The init reports failures after start (exec error, startContainer hook) on the sync socket;
// a successful execve closes it with no message.
std::optional<Error> init_error_after_start(int sync_fd) {
  SyncMessage msg;
  char probe;
  if (::recv(sync_fd, &probe, 1, MSG_PEEK | MSG_DONTWAIT) <= 0) return std::nullopt;
  auto m = sync_recv(sync_fd);
  if (m && m->type == SyncType::error) return Error{m->err, m->text};
  return std::nullopt;
}

Result<void> remove_after_run(StateStore& store, const Launched& launched) {
  const ContainerState& st = launched.state;
  auto lock = store.lock(st.id);
  if (!lock) return std::unexpected(lock.error());
  if (auto r = kill_and_wait(st); !r) return r;
  return teardown(store, st, launched.cgroup_manager, &launched.config);
}

}  // namespace
}  // namespace runtime

Result<int> run_container(const GlobalOptions& g, const RunOptions& o) {
  using namespace runtime;
  if (!o.detach && !o.no_subreaper) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  // Our end of a console socket pair, used only when the spec wants a terminal and nobody
  // gave a --console-socket: then we relay the pty ourselves.
  UniqueFd console_ours, console_theirs;
  if (!o.detach && o.console_socket.empty()) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
      return sys_error("creating console socketpair");
    console_ours.reset(sv[0]);
    console_theirs.reset(sv[1]);
  }
  auto launched = launch_container(g, o, std::move(console_theirs));
  if (!launched) return std::unexpected(launched.error());
  UniqueFd pty_master;
  if (launched->terminal && console_ours) {
    auto master = receive_pty_master(console_ours.get());
    if (!master) return std::unexpected(master.error());
    pty_master = std::move(*master);
    copy_stdin_window_size(pty_master.get());  // before start: the init sees it from its first look
  }
  StateStore store(g.root);
  // sd_notify: bound before the init runs so an early READY=1 is kept; relayed after start
  // (detached: READY= and the init's pid, then exit; foreground: every datagram while we wait).
  auto notify_host = notify_socket_host();
  UniqueFd notify;
  if (notify_host) {
    // runc fails `run` when it cannot bind the socket; so do we, leaving nothing behind.
    auto sock = bind_notify_socket(store.dir_of(o.id));
    if (!sock) {
      launched->lock.reset();
      (void)remove_after_run(store, *launched);
      return std::unexpected(sock.error());
    }
    notify = std::move(*sock);
  }
  std::optional<Foreground> foreground;
  if (!o.detach) {
    foreground.emplace();
    if (notify) foreground->relay_notify(std::move(notify), *notify_host);
  }
  if (auto r = start_created(store, launched->state, launched->pidfd.get(), launched->config); !r) {
    launched->lock.reset();
    (void)remove_after_run(store, *launched);
    return std::unexpected(r.error());
  }
  launched->lock.reset();
  if (o.detach) {
    if (notify) {
      if (auto r = relay_notify(notify.get(), *notify_host, launched->pid, launched->pidfd.get());
          !r)
        return std::unexpected(r.error());
    }
    return 0;
  }

  std::optional<RawTerminal> raw;
  if (pty_master) raw.emplace();
  foreground->run(launched->pidfd.get(), pty_master ? pty_master.get() : -1);
  raw.reset();
  int code = wait_exit_code(launched->pid);
  reap_orphans();
  auto init_error = init_error_after_start(launched->sync.get());
  if (!o.keep) {
    if (auto r = remove_after_run(store, *launched); !r) log::warning(r.error().message);
  }
  if (init_error) return std::unexpected(init_error->context("unable to start container process"));
  return code;
}

}  // namespace keel
