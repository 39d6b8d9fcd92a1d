// start: release the init blocked on exec.fifo, then run the poststart hooks.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include "keel/lifecycle.hpp"
#include "keel/log.hpp"
#include "keel/spec/parse.hpp"
#include "lifecycle_internal.hpp"
#include "notify_socket.hpp"
#include "process_handle.hpp"
#include "runtime_hooks.hpp"

namespace keel {
namespace runtime {
namespace {

// Opening the read end with O_NONBLOCK never blocks; the init's pending open(O_WRONLY) then
// completes and it writes one byte. Polling the init's pidfd alongside means a dead init is an
// error instead of a hang.
Result<void> release_init(const std::string& fifo, int pidfd) {
  UniqueFd fd(::open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
  if (!fd) return sys_error("open exec fifo for reading");
  for (;;) {
    pollfd fds[2] = {{fd.get(), POLLIN, 0}, {pidfd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return sys_error("poll exec fifo");
    }
    if (fds[0].revents & POLLIN) {
      char byte;
      ssize_t n = ::read(fd.get(), &byte, 1);
      if (n == 1) return {};
      if (n < 0 && errno == EAGAIN) continue;
    }
    if (fds[1].revents & POLLIN)
      return fail("container init exited before it could be started", ESRCH);
    if (fds[0].revents & POLLHUP) return fail("exec fifo closed without a start byte", EPIPE);
  }
}

}  // namespace

Result<void> start_created(StateStore& store, const ContainerState& st, int pidfd,
                           const spec::Config& cfg) {
  std::string fifo = store.dir_of(st.id) + "/exec.fifo";
  if (auto r = release_init(fifo, pidfd); !r) return r;
  ::unlink(fifo.c_str());

  if (cfg.hooks && !cfg.hooks->poststart.empty()) {
    auto r = run_runtime_hooks(cfg.hooks->poststart, state_json(st, Status::running, false),
                               "poststart");
    if (!r) {
      // runtime-spec 1.3: a failing poststart hook fails start and stops the container.
      (void)pidfd_signal(pidfd, SIGKILL);
      return r;
    }
  }
  return {};
}

Result<void> start_created(StateStore& store, const ContainerState& st) {
  auto pidfd = open_pidfd_checked(st.init_pid, st.init_start_time);
  if (!pidfd) return fail("cannot start a container that has stopped");
  auto cfg = spec::parse_config(st.config_json);
  return start_created(store, st, pidfd->get(), cfg ? *cfg : spec::Config{});
}

}  // namespace runtime

Result<void> start_container(const GlobalOptions& g, const std::string& id) {
  StateStore store(g.root);
  auto lock = store.lock(id);
  if (!lock) return std::unexpected(lock.error());
  auto st = store.read(id);
  if (!st) return std::unexpected(st.error());
  switch (derive_status(*st, store.dir_of(id))) {
    case Status::created: {
      // Bound before the init runs, so an early READY=1 is not lost.
      auto host = runtime::notify_socket_host();
      UniqueFd notify;
      if (host) {
        auto sock = runtime::bind_notify_socket(store.dir_of(id));
        if (!sock) return std::unexpected(sock.error());
        notify = std::move(*sock);
      }
      if (auto r = runtime::start_created(store, *st); !r) return r;
      if (!notify) return {};
      lock->reset();  // waiting for READY must not block kill or delete
      auto pidfd = runtime::open_pidfd_checked(st->init_pid, st->init_start_time);
      if (!pidfd) return {};
      return runtime::relay_notify(notify.get(), *host, st->init_pid, pidfd->get());
    }
    case Status::stopped:
      return fail("cannot start a container that has stopped");
    default:
      return fail("cannot start an already running container");
  }
}

}  // namespace keel
