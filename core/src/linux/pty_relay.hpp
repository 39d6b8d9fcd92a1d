// `run` in the foreground with process.terminal and no --console-socket: the runtime keeps the
// pty master itself and copies it to and from its own stdio (runc's tty.go), with the
// terminal in raw mode while the container runs and window size changes passed on.
#pragma once

#include <termios.h>

#include <boost/asio/io_context.hpp>
#include <optional>

#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel::runtime {

// Reads the master the init sent on our end of the console socket pair.
Result<UniqueFd> receive_pty_master(int sock);

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
