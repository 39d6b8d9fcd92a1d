// recvtty [--mode single|null] [--pid-file FILE] SOCKET-PATH
// Like runc's contrib/cmd/recvtty: listens on SOCKET-PATH, takes the pty master the runtime
// sends (SCM_RIGHTS) on the first connection, and then
//   single (default): copies master -> stdout and stdin -> master until the pty is hung up;
//   null:             reads and discards the master's output until it is hung up.
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/linux/fd_passing.hpp"

namespace {

using keel::Result;
using keel::UniqueFd;

Result<UniqueFd> listen_at(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return keel::fail("socket path too long: " + path);
  std::memcpy(addr.sun_path, path.data(), path.size());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return keel::sys_error("socket");
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
    return keel::sys_error("bind " + path);
  if (::listen(fd.get(), 1) < 0) return keel::sys_error("listen " + path);
  return fd;
}

// Accepts one connection and takes the fd it carries.
Result<UniqueFd> receive_master(int listener) {
  UniqueFd conn(::accept4(listener, nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return keel::sys_error("accept");
  char buf[256];
  auto got = keel::recv_with_fd(conn.get(), buf);
  if (!got) return std::unexpected(got.error().context("recvmsg"));
  if (!got->fd) return keel::fail("no file descriptor was sent on the console socket");
  return std::move(got->fd);
}

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// Until the master reports hang-up (EIO once every slave fd is closed).
void relay(int master, bool discard) {
  bool stdin_open = !discard;
  char buf[4096];
  for (;;) {
    pollfd fds[2] = {{master, POLLIN, 0}, {0, POLLIN, 0}};
    int n = ::poll(fds, stdin_open ? 2 : 1, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t r = ::read(master, buf, sizeof buf);
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return;
      if (!discard) write_all(1, buf, static_cast<size_t>(r));
    }
    if (stdin_open && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t r = ::read(0, buf, sizeof buf);
      if (r <= 0)
        stdin_open = false;
      else
        write_all(master, buf, static_cast<size_t>(r));
    }
  }
}

int usage() {
  std::fputs("usage: recvtty [--mode single|null] [--pid-file FILE] SOCKET-PATH\n", stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = "single", pid_file, path;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--mode" || a == "-m") && i + 1 < argc)
      mode = argv[++i];
    else if (a.starts_with("--mode="))
      mode = a.substr(7);
    else if (a == "--pid-file" && i + 1 < argc)
      pid_file = argv[++i];
    else if (a.starts_with("--pid-file="))
      pid_file = a.substr(11);
    else if (!a.starts_with("-") && path.empty())
      path = a;
    else
      return usage();
  }
  if (path.empty() || (mode != "single" && mode != "null")) return usage();
  auto listener = listen_at(path);
  if (!listener) {
    std::fprintf(stderr, "recvtty: %s\n", listener.error().message.c_str());
    return 1;
  }
  if (!pid_file.empty()) {
    std::string text = std::to_string(::getpid());
    UniqueFd f(::open(pid_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!f || !write_all(f.get(), text.data(), text.size())) {
      std::fprintf(stderr, "recvtty: writing %s: %s\n", pid_file.c_str(), std::strerror(errno));
      return 1;
    }
  }
  auto master = receive_master(listener->get());
  ::unlink(path.c_str());
  if (!master) {
    std::fprintf(stderr, "recvtty: %s\n", master.error().message.c_str());
    return 1;
  }
  relay(master->get(), mode == "null");
  return 0;
}
