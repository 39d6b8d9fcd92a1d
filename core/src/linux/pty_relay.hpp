// `run` in the foreground with process.terminal and no --console-socket: the runtime keeps the
// pty master itself and copies it to and from its own stdio (runc's tty.go), with the
// terminal in raw mode while the container runs and window size changes passed on.
#pragma once

#include <sys/ioctl.h>
#include <termios.h>

#include <boost/asio/io_context.hpp>
#include <optional>

#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel::runtime {

// Reads the master the init sent on our end of the console socket pair.
Result<UniqueFd> receive_pty_master(int sock);

// fd 0's window size when it is a terminal. A relayed pty must have it before the process first
// looks (runc resizes only once the process runs, which races e.g. a shell's first `stty size`):
// run sets it on the master while the init waits for start, exec puts it in consoleSize.
std::optional<winsize> stdin_window_size();
// Gives `pty_master` fd 0's window size; nothing when fd 0 is no terminal.
void copy_stdin_window_size(int pty_master);

// Puts fd 0 in raw mode when it is a terminal; restores it on destruction.
class RawTerminal {
 public:
  RawTerminal();
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  std::optional<termios> saved_;
};

// Starts copying master -> stdout and (when stdin can be polled) stdin -> master on `io`.
class PtyRelay {
 public:
  PtyRelay(boost::asio::io_context& io, int master);
  ~PtyRelay();
  void resize_from_stdin() const;  // SIGWINCH
  void drain() const;              // after the init exited: what is still buffered

 private:
  struct Impl;
  Impl* impl_;
  int master_;
};

}  // namespace keel::runtime
