#include "foreground.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/posix/stream_descriptor.hpp>
#include <cerrno>
#include <functional>
#include <optional>

#include "process_handle.hpp"
#include "pty_relay.hpp"

namespace keel::runtime {

Foreground::Foreground() : signals_(io_) {
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig == SIGKILL || sig == SIGSTOP || sig == SIGCHLD) continue;
    boost::system::error_code ec;
    signals_.add(sig, ec);  // signals glibc reserves (32, 33) are refused: skip them
  }
}

void Foreground::run(int pidfd, int pty_master) {
  std::optional<PtyRelay> relay;
  if (pty_master >= 0) relay.emplace(io_, pty_master);
  std::function<void()> arm = [&] {
    signals_.async_wait([&](const boost::system::error_code& ec, int sig) {
      if (ec) return;
      if (sig == SIGWINCH && relay)
        relay->resize_from_stdin();  // the kernel signals the container's foreground group
      else
        (void)pidfd_signal(pidfd, sig);
      arm();
    });
  };
  arm();
  boost::asio::posix::stream_descriptor process(io_, ::dup(pidfd));
  process.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                     [&](const boost::system::error_code&) { io_.stop(); });
  io_.run();
  if (relay) relay->drain();
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
