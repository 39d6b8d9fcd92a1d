// sd_notify with a foreground `run`: keel stays the service's main process (runc sends its own
// pid), so it passes every datagram of the container on to NOTIFY_SOCKET while it waits, with
// MAINPID=<keel's pid> after READY=. notify_probe plays the container's sd_notify(3).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <thread>

#include "harness.hpp"

using namespace keel::test;

namespace {

// A datagram socket the test reads as the host's service manager would; `name` starting with
// '@' is abstract.
struct HostSocket {
  int fd = -1;
  explicit HostSocket(const std::string& name) {
    fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::memcpy(addr.sun_path, name.data(), name.size());
    socklen_t len = sizeof addr;
    if (name[0] == '@') {
      addr.sun_path[0] = '\0';
      len = socklen_t(offsetof(sockaddr_un, sun_path) + name.size());
    }
    REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), len) == 0);
  }
  ~HostSocket() { ::close(fd); }
  // Every datagram queued now.
  std::vector<std::string> queued() const {
    std::vector<std::string> out;
    char buf[4096];
    for (;;) {
      ssize_t n = ::recv(fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0) break;
      out.emplace_back(buf, size_t(n));
    }
    return out;
  }
};

void add_probe(const Bundle& b) {
  std::filesystem::copy_file(NOTIFY_PROBE, b.rootfs() + "/notify");
}

// `keel run` (in the foreground unless `detach`) with NOTIFY_SOCKET=host, stdio on /dev/null.
pid_t spawn_run(const Bundle& b, const std::string& host, bool detach = false) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int null = ::open("/dev/null", O_RDWR);
    for (int fd = 0; fd <= 2; ++fd) ::dup2(null, fd);
    ::setenv("NOTIFY_SOCKET", host.c_str(), 1);
    if (detach)
      ::execl(KEEL_BINARY, "keel", "--root", b.state_root().c_str(), "run", "--detach", "--bundle",
              b.dir().c_str(), b.id().c_str(), nullptr);
    ::execl(KEEL_BINARY, "keel", "--root", b.state_root().c_str(), "run", "--bundle",
            b.dir().c_str(), b.id().c_str(), nullptr);
    ::_exit(127);
  }
  return pid;
}

// The exit code, or -1 (after SIGKILL) when it did not end within `timeout`.
int wait_exit(pid_t pid, std::chrono::milliseconds timeout) {
  auto end = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > end) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return -1;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

TEST_CASE("foreground run with NOTIFY_SOCKET passes on each datagram, READY=1 with keel's pid") {
  Bundle b;
  add_probe(b);
  // MAINPID from inside the container must not reach the host: it names no host process.
  b.set_command(
      "/notify STATUS=warming && /notify READY=1 MAINPID=1 STATUS=serving && "
      "/notify STATUS=stopping && exit 5");
  HostSocket host(b.dir() + "/host.sock");
  pid_t keel = spawn_run(b, b.dir() + "/host.sock");
  REQUIRE(wait_exit(keel, 20s) == 5);
  auto got = host.queued();
  REQUIRE(got.size() == 3);
  CHECK(got[0] == "STATUS=warming\n");
  CHECK(got[1] == "READY=1\nSTATUS=serving\nMAINPID=" + std::to_string(keel) + "\n");
  CHECK(got[2] == "STATUS=stopping\n");
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));  // run removed it as usual
}

TEST_CASE("foreground run with NOTIFY_SOCKET does not wait for a READY=1 that never comes") {
  Bundle b;
  b.set_command("exit 6");
  HostSocket host(b.dir() + "/host.sock");
  pid_t keel = spawn_run(b, b.dir() + "/host.sock");
  CHECK(wait_exit(keel, 20s) == 6);
  CHECK(host.queued().empty());
}

TEST_CASE("foreground run relays to an abstract NOTIFY_SOCKET (@name)") {
  Bundle b;
  add_probe(b);
  b.set_command("/notify READY=1");
  std::string name = "@keel-test-notify-" + b.id();
  HostSocket host(name);
  pid_t keel = spawn_run(b, name);
  REQUIRE(wait_exit(keel, 20s) == 0);
  auto got = host.queued();
  REQUIRE(got.size() == 1);
  CHECK(got[0] == "READY=1\nMAINPID=" + std::to_string(keel) + "\n");
}

TEST_CASE("exec with NOTIFY_SOCKET relays nothing and does not wait for READY, as runc") {
  Bundle b;
  add_probe(b);
  b.set_command("/notify READY=1 && sleep 1000");
  HostSocket host(b.dir() + "/host.sock");
  RunOptions with_notify = with_timeout(20s);
  with_notify.extra_env = {"NOTIFY_SOCKET=" + b.dir() + "/host.sock"};
  pid_t run = spawn_run(b, b.dir() + "/host.sock", true);
  std::string ready;
  CHECK(receive_fd(host.fd, &ready, 10000) == -1);
  CHECK(ready == "READY=1\nMAINPID=" + std::to_string(b.pid()) + "\n");
  // run --detach then waits until the service manager closes the BARRIER=1 fd.
  std::string barrier;
  int fd = receive_fd(host.fd, &barrier, 10000);
  CHECK(barrier == "BARRIER=1");
  ::close(fd);
  REQUIRE(wait_exit(run, 20s) == 0);
  // The exec'd process has the container's NOTIFY_SOCKET; keel neither binds nor forwards it.
  auto exec = b.keel({"exec", b.id(), "sh", "-c", "echo $NOTIFY_SOCKET; /notify READY=1 || true"},
                     with_notify);
  CHECK_MESSAGE(exec.exit_code == 0, exec.err);
  CHECK(exec.out.starts_with("/run/notify/notify.sock\n"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(host.queued().empty());
}

TEST_CASE("run fails as runc does when it cannot bind the notify socket, and leaves nothing") {
  Bundle b;
  b.set_command("exit 0");
  // <root>/<id>/notify/notify.sock longer than a unix socket address holds.
  std::string root = b.dir() + "/" + std::string(100, 'r');
  RunOptions opts = with_timeout(20s);
  opts.extra_env = {"NOTIFY_SOCKET=" + b.dir() + "/host.sock"};
  HostSocket host(b.dir() + "/host.sock");
  auto run = run_keel({"--root", root, "run", "--bundle", b.dir(), b.id()}, opts);
  CHECK(run.exit_code == 1);
  CHECK_MESSAGE(run.err.find("notify socket") != std::string::npos, run.err);
  CHECK_FALSE(path_exists(root + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
  CHECK(processes_with_argument(b.id()).empty());
  CHECK(host.queued().empty());
}
