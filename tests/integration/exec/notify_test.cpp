// sd_notify proxy: with NOTIFY_SOCKET set, the container gets /run/notify/notify.sock and
// `run --detach` / `start` forward its READY=1 (and MAINPID) to the host socket, as runc does,
// then wait on an sd_notify barrier (BARRIER=1 with a pipe's write end) until the service
// manager closes the fd, as runc 1.2 and later do.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "exec_common.hpp"

using namespace keel::test;

namespace {

sockaddr_un address(const std::string& path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  return addr;
}

// keel's exit status, or -1 (after SIGKILL) when it has not exited within 5 s.
int exit_status_within_5s(pid_t pid) {
  int status = 0;
  for (int i = 0; i < 500 && ::waitpid(pid, &status, WNOHANG) == 0; ++i) ::usleep(10000);
  if (::waitpid(pid, &status, WNOHANG) == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// The datagram after READY=1 is the barrier: "BARRIER=1" with the write end of a pipe, which
// keel waits on until the service manager (here the test) closes it. Returns that fd.
int expect_barrier(int host) {
  std::string payload;
  int fd = receive_fd(host, &payload, 10000);
  CHECK(payload == "BARRIER=1");
  struct stat st {};
  CHECK((fd >= 0 && ::fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)));
  return fd;
}

}  // namespace

TEST_CASE("run --detach with NOTIFY_SOCKET relays the container's READY=1 and MAINPID") {
  Bundle b;
  b.set_command("sleep 1000");
  std::string host_path = b.dir() + "/host.sock";
  int host = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  auto host_addr = address(host_path);
  REQUIRE(::bind(host, reinterpret_cast<sockaddr*>(&host_addr), sizeof host_addr) == 0);

  pid_t keel_pid = ::fork();
  if (keel_pid == 0) {
    ::setenv("NOTIFY_SOCKET", host_path.c_str(), 1);
    ::execl(KEEL_BINARY, "keel", "--root", b.state_root().c_str(), "run", "--detach", "--bundle",
            b.dir().c_str(), b.id().c_str(), nullptr);
    ::_exit(127);
  }
  REQUIRE(b.wait_status("running"));
  auto env = exec_in(b, {}, {"sh", "-c", "echo $NOTIFY_SOCKET; test -S $NOTIFY_SOCKET && echo ok"});
  CHECK(env.out == "/run/notify/notify.sock\nok\n");

  // The container's socket is the state dir's: write to it as a process inside would.
  int client = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  auto inner = address(b.state_root() + "/" + b.id() + "/notify/notify.sock");
  std::string msg = "STATUS=starting\nREADY=1\n";
  CHECK(::sendto(client, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&inner),
                 sizeof inner) == static_cast<ssize_t>(msg.size()));
  ::close(client);

  pollfd p{host, POLLIN, 0};
  REQUIRE(::poll(&p, 1, 10000) == 1);
  char buf[256];
  ssize_t n = ::recv(host, buf, sizeof buf, 0);
  CHECK(std::string(buf, n > 0 ? size_t(n) : 0) ==
        "READY=1\nMAINPID=" + std::to_string(b.pid()) + "\n");
  ::close(expect_barrier(host));  // as systemd does once it has handled READY=1
  ::close(host);
  CHECK(exit_status_within_5s(keel_pid) == 0);
}

TEST_CASE("create then start with NOTIFY_SOCKET: start relays READY=1, then waits on the barrier") {
  Bundle b;
  b.set_command("sleep 1000");
  std::string host_path = b.dir() + "/host.sock";
  int host = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  auto host_addr = address(host_path);
  REQUIRE(::bind(host, reinterpret_cast<sockaddr*>(&host_addr), sizeof host_addr) == 0);
  RunOptions with_notify = with_timeout(20s);
  with_notify.extra_env = {"NOTIFY_SOCKET=" + host_path};
  auto created = b.keel({"create", "--bundle", b.dir(), b.id()}, with_notify);
  REQUIRE_MESSAGE(created.exit_code == 0, created.err);

  pid_t keel_pid = ::fork();
  if (keel_pid == 0) {
    ::setenv("NOTIFY_SOCKET", host_path.c_str(), 1);
    ::execl(KEEL_BINARY, "keel", "--root", b.state_root().c_str(), "start", b.id().c_str(),
            nullptr);
    ::_exit(127);
  }
  REQUIRE(b.wait_status("running"));
  int client = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  auto inner = address(b.state_root() + "/" + b.id() + "/notify/notify.sock");
  std::string msg = "READY=1";
  // start binds the socket just before it lets the init run: retry until it is there.
  bool sent = false;
  for (int i = 0; i < 200 && !sent; ++i) {
    sent = ::sendto(client, msg.data(), msg.size(), 0, reinterpret_cast<sockaddr*>(&inner),
                    sizeof inner) == static_cast<ssize_t>(msg.size());
    if (!sent) ::usleep(10000);
  }
  ::close(client);
  CHECK(sent);
  pollfd p{host, POLLIN, 0};
  REQUIRE(::poll(&p, 1, 10000) == 1);
  char buf[256];
  ssize_t n = ::recv(host, buf, sizeof buf, 0);
  CHECK(std::string(buf, n > 0 ? size_t(n) : 0) ==
        "READY=1\nMAINPID=" + std::to_string(b.pid()) + "\n");
  int barrier = expect_barrier(host);
  // start waits while the manager holds the barrier fd: systemd attributes READY=1 by the
  // sender's cgroup, so the sender must not be gone before READY=1 is handled.
  ::usleep(300000);
  CHECK(::waitpid(keel_pid, nullptr, WNOHANG) == 0);
  ::close(barrier);
  CHECK(exit_status_within_5s(keel_pid) == 0);
  ::close(host);
}
