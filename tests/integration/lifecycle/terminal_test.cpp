// process.terminal with --console-socket, and --pidfd-socket: fds handed to the engine.
#include <doctest/doctest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "harness.hpp"

using namespace keel::test;

namespace {

std::string read_until(int fd, const std::string& marker) {
  std::string out;
  for (int i = 0; i < 100 && out.find(marker) == std::string::npos; ++i) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, n);
  }
  return out;
}

}  // namespace

TEST_CASE("terminal: the pty master goes to --console-socket and the container writes to it") {
  Bundle b;
  b.set("/process/terminal", "true");
  b.set_command("test -t 0 && test -t 1 && echo stdio-is-a-tty; echo done-here");
  std::string sock = b.dir() + "/console.sock";
  int listener = listen_at(sock);
  auto c = b.create({"--console-socket", sock});
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  std::string name;
  int master = accept_fd(listener, &name);
  ::close(listener);
  REQUIRE(master >= 0);
  REQUIRE(b.start().exit_code == 0);
  auto out = read_until(master, "done-here");
  ::close(master);
  CHECK(out.find("stdio-is-a-tty") != std::string::npos);
  CHECK(out.find("done-here") != std::string::npos);
}

TEST_CASE("terminal without --console-socket fails create with runc's reason") {
  Bundle b;
  b.set("/process/terminal", "true");
  auto c = b.create();
  CHECK(c.exit_code == 1);
  CHECK(c.err.find("cannot allocate tty") != std::string::npos);
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
}

TEST_CASE("--pidfd-socket receives a pidfd of the init") {
  Bundle b;
  std::string sock = b.dir() + "/pidfd.sock";
  int listener = listen_at(sock);
  auto c = b.create({"--pidfd-socket", sock});
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  int pidfd = accept_fd(listener, nullptr);
  ::close(listener);
  REQUIRE(pidfd >= 0);
  // The fdinfo of a pidfd names the process it refers to.
  auto info = read_file("/proc/self/fdinfo/" + std::to_string(pidfd));
  ::close(pidfd);
  CHECK(info.find("Pid:\t" + std::to_string(b.pid()) + "\n") != std::string::npos);
}

TEST_CASE("run with a terminal and no --console-socket relays the pty through keel's stdio") {
  Bundle b;
  b.set("/process/terminal", "true");
  b.set_command("test -t 0 && test -t 1 && echo relayed-tty; exit 4");
  auto r = b.run({}, with_timeout(20s));
  CHECK_FALSE(r.timed_out);
  CHECK_MESSAGE(r.exit_code == 4, r.err);
  CHECK(r.out.find("relayed-tty\r\n") != std::string::npos);  // through the pty's line discipline
}
