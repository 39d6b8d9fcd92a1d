#include "console.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstring>

#include "keel/linux/fd_passing.hpp"
#include "keel/linux/rootfs.hpp"

namespace keel::runtime {
namespace {

// runc's utils.SendFile: the file's name as data, the fd as SCM_RIGHTS.
Result<void> send_master(int socket_fd, int master, const std::string& name) {  // any fd
  if (auto r = send_with_fd(socket_fd, name, master); !r)
    return std::unexpected(r.error().context("sending the pty master to the console socket"));
  return {};
}

}  // namespace

Result<UniqueFd> connect_console_socket(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) return fail("console socket path too long: " + path);
  std::memcpy(addr.sun_path, path.data(), path.size());
  UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys_error("creating console socket");
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) < 0)
    return sys_error("connecting to console socket " + path);
  return fd;
}

Result<void> send_fd_to_socket(const std::string& path, int fd, const std::string& name) {
  auto sock = connect_console_socket(path);
  if (!sock) return std::unexpected(sock.error());
  return send_master(sock->get(), fd, name);
}

Result<void> setup_console(int socket_fd, const std::optional<spec::ConsoleSize>& size) {
  UniqueFd master(::open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master) return sys_error("opening /dev/pts/ptmx");
  int unlock = 0;
  if (::ioctl(master.get(), TIOCSPTLCK, &unlock) < 0) return sys_error("unlocking the pty");
  unsigned int n = 0;
  if (::ioctl(master.get(), TIOCGPTN, &n) < 0) return sys_error("getting the pty number");
  std::string slave_path = "/dev/pts/" + std::to_string(n);
  // TIOCGPTPEER opens the slave through the master, so no path lookup can be raced.
  UniqueFd slave(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave) return sys_error("opening the pty slave");
  if (size && size->height && size->width) {
    winsize ws{static_cast<unsigned short>(size->height), static_cast<unsigned short>(size->width),
               0, 0};
    ::ioctl(master.get(), TIOCSWINSZ, &ws);
  }
  if (auto r = rootfs::mount_console(slave_path); !r) return r;
  if (auto r = send_master(socket_fd, master.get(), "/dev/ptmx"); !r) return r;
  if (::setsid() < 0) return sys_error("setsid");
  if (::ioctl(slave.get(), TIOCSCTTY, 0) < 0) return sys_error("setting the controlling terminal");
  for (int fd = 0; fd <= 2; ++fd)
    if (::dup2(slave.get(), fd) < 0) return sys_error("dup2 the pty slave");
  return {};
}

}  // namespace keel::runtime
