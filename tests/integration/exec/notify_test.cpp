// sd_notify proxy: with NOTIFY_SOCKET set, the container gets /run/notify/notify.sock and
// `run --detach` forwards its READY=1 (and MAINPID) to the host socket, as runc does.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
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
  ::close(host);
  CHECK(std::string(buf, n > 0 ? size_t(n) : 0) ==
        "READY=1\nMAINPID=" + std::to_string(b.pid()) + "\n");
  int status = 0;
  for (int i = 0; i < 500 && ::waitpid(keel_pid, &status, WNOHANG) == 0; ++i) ::usleep(10000);
  if (::waitpid(keel_pid, &status, WNOHANG) == 0) {
    ::kill(keel_pid, SIGKILL);
    ::waitpid(keel_pid, &status, 0);
  }
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}

TEST_CASE("create then start with NOTIFY_SOCKET: start waits for READY=1 and relays it") {
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
  ::close(host);
  CHECK(std::string(buf, n > 0 ? size_t(n) : 0) ==
        "READY=1\nMAINPID=" + std::to_string(b.pid()) + "\n");
  int status = 0;
  for (int i = 0; i < 500 && ::waitpid(keel_pid, &status, WNOHANG) == 0; ++i) ::usleep(10000);
  if (::waitpid(keel_pid, &status, WNOHANG) == 0) {
    ::kill(keel_pid, SIGKILL);
    ::waitpid(keel_pid, &status, 0);
  }
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
}
