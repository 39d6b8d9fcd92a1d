// The foreground loop of `run` and `exec` (after the last clone, so Boost.Asio may be used):
// forward every catchable signal to the container process, relay its pty, wait for its exit.
#pragma once

#include <sys/types.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

namespace keel::runtime {

class Foreground {
 public:
  // Build it before the clone: a signal sent to the runtime while the process starts is then
  // queued for the process instead of killing the runtime.
  Foreground();
  // Returns when the process behind `pidfd` exits; pty_master -1 when there is no terminal.
  void run(int pidfd, int pty_master);

 private:
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
};

// waitpid's status as a shell reports it: the exit code, or 128+N after signal N.
int wait_exit_code(pid_t pid);
// As a subreaper we inherit orphans from the container; collect them.
void reap_orphans();

}  // namespace keel::runtime
