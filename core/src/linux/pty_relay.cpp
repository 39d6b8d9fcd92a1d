#include "pty_relay.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <cstring>
#include <functional>

#include "keel/linux/fd_passing.hpp"

namespace keel::runtime {
namespace {

void write_all(int fd, const char* data, size_t len) {
  while (len > 0) {
    ssize_t n = ::write(fd, data, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    data += n;
    len -= static_cast<size_t>(n);
  }
}

}  // namespace

Result<UniqueFd> receive_pty_master(int sock) {
  char buf[256];
  auto got = recv_with_fd(sock, buf);
  if (!got) return std::unexpected(got.error().context("receiving the pty master"));
  if (!got->fd) return fail("no pty master on the console socket");
  return std::move(got->fd);
}

std::optional<winsize> stdin_window_size() {
  winsize ws;
  if (!::isatty(0) || ::ioctl(0, TIOCGWINSZ, &ws) < 0) return std::nullopt;
  return ws;
}

void copy_stdin_window_size(int pty_master) {
  if (auto ws = stdin_window_size()) ::ioctl(pty_master, TIOCSWINSZ, &*ws);
}

RawTerminal::RawTerminal() {
  termios t;
  if (!::isatty(0) || ::tcgetattr(0, &t) < 0) return;
  saved_ = t;
  ::cfmakeraw(&t);
  ::tcsetattr(0, TCSANOW, &t);
}

RawTerminal::~RawTerminal() {
  if (saved_) ::tcsetattr(0, TCSANOW, &*saved_);
}

struct PtyRelay::Impl {
  boost::asio::posix::stream_descriptor master, input;
  std::array<char, 8192> out_buf, in_buf;
  bool input_ok = false;
  Impl(boost::asio::io_context& io, int master_fd) : master(io, ::dup(master_fd)), input(io) {
    // A regular file or /dev/null cannot be watched with epoll: then there is no input to copy.
    boost::system::error_code ec;
    input.assign(::dup(0), ec);
    if (!ec) {
      input.non_blocking(true, ec);
      input_ok = !ec;
    }
  }
  void read_master() {
    master.async_read_some(boost::asio::buffer(out_buf),
                           [this](const boost::system::error_code& ec, size_t n) {
                             if (ec) return;  // EIO once the last slave fd closed
                             write_all(1, out_buf.data(), n);
                             read_master();
                           });
  }
  void read_input() {
    input.async_read_some(boost::asio::buffer(in_buf),
                          [this](const boost::system::error_code& ec, size_t n) {
                            if (ec) return;
                            write_all(master.native_handle(), in_buf.data(), n);
                            read_input();
                          });
  }
};

PtyRelay::PtyRelay(boost::asio::io_context& io, int master)
    : impl_(new Impl(io, master)), master_(master) {
  resize_from_stdin();
  impl_->read_master();
  // Asio reads a regular file (epoll refuses it) directly, up to EOF.
  if (impl_->input_ok) impl_->read_input();
}

PtyRelay::~PtyRelay() {
  delete impl_;
}

void PtyRelay::resize_from_stdin() const {
  copy_stdin_window_size(master_);
}

void PtyRelay::drain() const {
  int flags = ::fcntl(master_, F_GETFL);
  ::fcntl(master_, F_SETFL, flags | O_NONBLOCK);
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(master_, buf, sizeof buf);
    if (n <= 0) break;
    write_all(1, buf, static_cast<size_t>(n));
  }
}

}  // namespace keel::runtime
