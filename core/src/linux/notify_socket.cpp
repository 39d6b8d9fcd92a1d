#include "notify_socket.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

#include "keel/linux/fd_passing.hpp"
#include "keel/log.hpp"

namespace keel::runtime {
namespace {

constexpr const char* kDirInContainer = "/run/notify";
constexpr const char* kSocketInContainer = "/run/notify/notify.sock";

Result<sockaddr_un> unix_address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof addr.sun_path)
    return fail("notify socket path is empty or too long: " + path);
  std::memcpy(addr.sun_path, path.data(), path.size());
  // "@name" is an abstract socket, as systemd accepts.
  if (path[0] == '@') addr.sun_path[0] = '\0';
  return addr;
}

}  // namespace

std::optional<std::string> notify_socket_host() {
  const char* v = std::getenv("NOTIFY_SOCKET");
  if (!v || !*v) return std::nullopt;
  return std::string(v);
}

Result<void> setup_notify_socket(spec::Config& config, const std::string& container_dir) {
  std::string dir = container_dir + "/notify";
  if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST) return sys_error("mkdir " + dir);
  spec::Mount m;
  m.destination = kDirInContainer;
  m.type = "bind";
  m.source = dir;
  m.options = {"bind", "nosuid", "noexec", "nodev", "ro"};
  config.mounts.push_back(std::move(m));
  if (config.process)
    config.process->env.push_back(std::string("NOTIFY_SOCKET=") + kSocketInContainer);
  return {};
}

Result<UniqueFd> bind_notify_socket(const std::string& container_dir) {
  std::string dir = container_dir + "/notify";
  struct stat sb;
  if (::stat(dir.c_str(), &sb) < 0) return UniqueFd();
  std::string path = dir + "/notify.sock";
  ::unlink(path.c_str());
  auto addr = unix_address(path);
  if (!addr) return std::unexpected(addr.error());
  UniqueFd fd(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys_error("creating notify socket");
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&*addr), sizeof *addr) < 0)
    return sys_error("binding notify socket " + path);
  if (::chmod(path.c_str(), 0777) < 0) return sys_error("chmod " + path);
  return fd;
}

namespace {

// A datagram socket connected to the host's notify socket.
Result<UniqueFd> connect_notify_host(const std::string& host) {
  auto addr = unix_address(host);
  if (!addr) return std::unexpected(addr.error());
  UniqueFd client(::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!client) return sys_error("creating notify client socket");
  // An abstract name is as long as it is, not NUL-terminated.
  socklen_t len = host[0] == '@' ? socklen_t(offsetof(sockaddr_un, sun_path) + host.size())
                                 : socklen_t(sizeof *addr);
  if (::connect(client.get(), reinterpret_cast<sockaddr*>(&*addr), len) < 0)
    return sys_error("connecting to NOTIFY_SOCKET " + host);
  return client;
}

}  // namespace

Result<void> send_to_notify_host(const std::string& host, std::string_view text, int flags) {
  auto client = connect_notify_host(host);
  if (!client) return std::unexpected(client.error());
  if (::send(client->get(), text.data(), text.size(), flags) < 0)
    return sys_error("sending to NOTIFY_SOCKET " + host);
  return {};
}

std::string notify_forward_text(std::string_view datagram, pid_t main_pid) {
  std::string out;
  bool ready = false;
  size_t pos = 0;
  while (pos < datagram.size()) {
    size_t end = datagram.find('\n', pos);
    if (end == std::string_view::npos) end = datagram.size();
    std::string_view line = datagram.substr(pos, end - pos);
    pos = end + 1;
    if (line.empty() || line.starts_with("MAINPID=")) continue;
    ready = ready || line.starts_with("READY=");
    out.append(line).push_back('\n');
  }
  if (ready) out += "MAINPID=" + std::to_string(main_pid) + "\n";
  return out;
}

namespace {

constexpr int kBarrierTimeoutMs = 30'000;

// runc's sdNotifyBarrier (systemd's sd_notify_barrier): the write end of a pipe goes with
// BARRIER=1, and the service manager closes every fd it receives once it has handled the
// datagrams queued before it. EOF on the read end therefore says READY=1 was handled while keel,
// the sender, still existed: systemd finds a datagram's unit by the sender's cgroup and drops
// READY=1 from a process that is already gone. A manager that never answers costs 30 s and a
// warning, as with runc.
Result<void> notify_barrier(int client) {
  int ends[2];
  if (::pipe2(ends, O_CLOEXEC) < 0) return sys_error("creating the notify barrier pipe");
  UniqueFd read_end(ends[0]);
  {
    UniqueFd write_end(ends[1]);  // ours closes here: only the manager's copy keeps it open
    if (auto sent = send_with_fd(client, "BARRIER=1", write_end.get()); !sent)
      return fail("sending BARRIER=1 to NOTIFY_SOCKET: " + sent.error().message, sent.error().code);
  }
  pollfd p{read_end.get(), POLLIN, 0};
  int ready;
  do {
    ready = ::poll(&p, 1, kBarrierTimeoutMs);
  } while (ready < 0 && errno == EINTR);
  if (ready < 0) return sys_error("waiting for the notify barrier");
  if (ready == 0) {
    log::warning("Timeout after waiting 30s for barrier. Ignored.");
    return {};
  }
  char byte;
  if (::read(read_end.get(), &byte, 1) != 0)
    return fail("unexpected read from the notify barrier pipe", EIO);
  return {};
}

// READY=... and MAINPID=<pid1> in one datagram, then the barrier on the same socket.
Result<void> forward_ready(const std::string& host, std::string_view ready_line, pid_t pid1) {
  auto client = connect_notify_host(host);
  if (!client) return std::unexpected(client.error());
  std::string text = std::string(ready_line) + "\nMAINPID=" + std::to_string(pid1) + "\n";
  if (::send(client->get(), text.data(), text.size(), 0) < 0)
    return sys_error("sending to NOTIFY_SOCKET " + host);
  return notify_barrier(client->get());
}

}  // namespace

Result<void> relay_notify(int sock, const std::string& host, pid_t pid1, int pidfd) {
  char buf[4096];
  for (;;) {
    pollfd fds[2] = {{sock, POLLIN, 0}, {pidfd, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return sys_error("poll notify socket");
    }
    if (fds[0].revents & POLLIN) {
      ssize_t n = ::recv(sock, buf, sizeof buf, 0);
      if (n < 0) return sys_error("reading notify socket");
      std::string_view got(buf, static_cast<size_t>(n));
      size_t pos = 0;
      while (pos <= got.size()) {
        size_t end = got.find('\n', pos);
        std::string_view line = got.substr(pos, end == std::string_view::npos ? end : end - pos);
        if (line.starts_with("READY=")) return forward_ready(host, line, pid1);
        if (end == std::string_view::npos) break;
        pos = end + 1;
      }
      continue;
    }
    if (fds[1].revents & POLLIN) return {};  // the container exited without READY
  }
}

}  // namespace keel::runtime
