// The foreground loop of `run` and `exec` (after the last clone, so Boost.Asio may be used):
// forward every catchable signal to the container process, relay its pty and its sd_notify
// datagrams, wait for its exit.
#pragma once

#include <signal.h>
#include <sys/types.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <optional>
#include <string>

#include "keel/fd.hpp"

namespace keel::runtime {

class PtyRelay;

class Foreground {
 public:
  // Build it before the clone: a signal sent to the runtime while the process starts is then
  // queued for the process instead of killing the runtime. Every catchable signal is blocked
  // and read from a signalfd (two syscalls, where a handler per signal took 118); a child
  // cloned meanwhile must put mask_before() back before execve.
  Foreground();
  ~Foreground();
  Foreground(const Foreground&) = delete;
  Foreground& operator=(const Foreground&) = delete;
  const sigset_t& mask_before() const { return mask_before_; }
  // Foreground run with NOTIFY_SOCKET: while the loop runs, every datagram arriving on `sock`
  // (the container's bound notify socket) is passed on to `host` (notify_forward_text, with
  // MAINPID=<our pid>: we stay the main process, as runc does).
  void relay_notify(UniqueFd sock, std::string host);
  // Returns when the process behind `pidfd` exits; pty_master -1 when there is no terminal.
  // Without a pty or notify socket to relay, a poll loop: Boost.Asio's reactor (an epoll, an
  // eventfd, a timerfd) is set up only when there is more than signals to wait for.
  void run(int pidfd, int pty_master);

 private:
  boost::asio::io_context io_;
  sigset_t mask_before_{};
  UniqueFd signals_;  // the signalfd; -1 when it could not be made (then nothing is blocked)
  struct Notify {
    boost::asio::posix::stream_descriptor sock;
    std::string host;
    std::array<char, 4096> buf{};
  };
  std::optional<Notify> notify_;
  enum class NotifyRead { forwarded, empty, broken };
  void receive_notify();
  NotifyRead forward_notify();  // one datagram, without blocking
  // Passes every queued signal on (SIGWINCH resizes the relayed pty instead).
  void forward_signals(int pidfd, const PtyRelay* relay);
  void wait_with_poll(int pidfd);
};

// waitpid's status as a shell reports it: the exit code, or 128+N after signal N.
int wait_exit_code(pid_t pid);
// As a subreaper we inherit orphans from the container; collect them.
void reap_orphans();

}  // namespace keel::runtime
