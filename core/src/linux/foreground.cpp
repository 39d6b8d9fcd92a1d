#include "foreground.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <cstring>
#include <functional>
#include <optional>

#include "keel/log.hpp"
#include "notify_socket.hpp"
#include "process_handle.hpp"
#include "pty_relay.hpp"

namespace keel::runtime {

namespace {

sigset_t forwarded_signals() {
  sigset_t set;
  ::sigfillset(&set);
  for (int sig : {SIGKILL, SIGSTOP, SIGCHLD}) ::sigdelset(&set, sig);
  return set;
}

}  // namespace

Foreground::Foreground() {
  sigset_t set = forwarded_signals();
  ::sigprocmask(SIG_BLOCK, &set, &mask_before_);
  signals_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
  if (!signals_) {
    log::warning(std::string("signalfd: ") + std::strerror(errno) + ": signals are not forwarded");
    ::sigprocmask(SIG_SETMASK, &mask_before_, nullptr);
  }
}

Foreground::~Foreground() {
  // Signals that came after the process exited are dropped, as a handler's queue was; then
  // the runtime's own mask is back.
  if (!signals_) return;
  signalfd_siginfo info{};
  while (::read(signals_.get(), &info, sizeof info) == sizeof info) {
  }
  ::sigprocmask(SIG_SETMASK, &mask_before_, nullptr);
}

void Foreground::forward_signals(int pidfd, const PtyRelay* relay) {
  signalfd_siginfo info{};
  while (::read(signals_.get(), &info, sizeof info) == sizeof info) {
    int sig = static_cast<int>(info.ssi_signo);
    // The kernel signals the container's foreground group itself.
    if (sig == SIGWINCH && relay)
      relay->resize_from_stdin();
    else
      (void)pidfd_signal(pidfd, sig);
  }
}

void Foreground::wait_with_poll(int pidfd) {
  pollfd fds[2] = {{pidfd, POLLIN, 0}, {signals_.get(), POLLIN, 0}};
  nfds_t n = signals_ ? 2 : 1;
  for (;;) {
    if (::poll(fds, n, -1) < 0) {
      if (errno == EINTR) continue;
      log::warning(std::string("poll: ") + std::strerror(errno));
      return;
    }
    if (n == 2 && fds[1].revents) forward_signals(pidfd, nullptr);
    if (fds[0].revents) return;
  }
}

void Foreground::relay_notify(UniqueFd sock, std::string host) {
  notify_.emplace(
      Notify{boost::asio::posix::stream_descriptor(io_, sock.release()), std::move(host)});
  receive_notify();
}

void Foreground::receive_notify() {
  notify_->sock.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this](const boost::system::error_code& ec) {
                             if (!ec && forward_notify() != NotifyRead::broken) receive_notify();
                           });
}

Foreground::NotifyRead Foreground::forward_notify() {
  ssize_t n =
      ::recv(notify_->sock.native_handle(), notify_->buf.data(), notify_->buf.size(), MSG_DONTWAIT);
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return NotifyRead::empty;
    log::warning(std::string("reading the notify socket: ") + std::strerror(errno));
    return NotifyRead::broken;  // stop relaying rather than spin on a broken socket
  }
  std::string text = notify_forward_text(
      std::string_view(notify_->buf.data(), static_cast<size_t>(n)), ::getpid());
  // Never block the signal loop on a slow service manager: a full queue drops the datagram.
  if (!text.empty()) {
    if (auto r = send_to_notify_host(notify_->host, text, MSG_DONTWAIT); !r)
      log::warning(r.error().message);
  }
  return NotifyRead::forwarded;
}

void Foreground::run(int pidfd, int pty_master) {
  if (pty_master < 0 && !notify_) return wait_with_poll(pidfd);
  std::optional<PtyRelay> relay;
  if (pty_master >= 0) relay.emplace(io_, pty_master);
  std::optional<boost::asio::posix::stream_descriptor> signals;
  if (signals_) signals.emplace(io_, ::dup(signals_.get()));
  // Asio waits for a readiness edge: wait first, then read what is already queued (signals
  // since the constructor, or since the last read), so none sits unread without a new edge.
  std::function<void()> arm = [&] {
    signals->async_wait(boost::asio::posix::stream_descriptor::wait_read,
                        [&](const boost::system::error_code& ec) {
                          if (!ec) arm();
                        });
    forward_signals(pidfd, relay ? &*relay : nullptr);
  };
  if (signals) arm();
  boost::asio::posix::stream_descriptor process(io_, ::dup(pidfd));
  process.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [&](const boost::system::error_code&) { io_.stop(); });
  io_.run();
  if (relay) relay->drain();
  // Datagrams sent just before the process exited may not have been read yet.
  while (notify_ && forward_notify() == NotifyRead::forwarded) {
  }
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return WEXITSTATUS(status);
}

void reap_orphans() {
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

}  // namespace keel::runtime
