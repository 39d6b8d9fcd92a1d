// Regression checks for the runtime's part of the security classes in DESIGN.md section 6.
#include <doctest/doctest.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "harness.hpp"

using namespace keel::test;

TEST_CASE("the container process inherits no fd beyond stdio (CVE-2024-21626 class)") {
  Bundle b;
  // ls itself holds one directory fd while listing.
  b.set_command("ls /proc/self/fd | wc -l");
  auto c = b.create();
  REQUIRE(c.exit_code == 0);
  REQUIRE(b.start().exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  CHECK(c.read_out() == "4\n");
}

TEST_CASE("exec.fifo is mode 0622 whatever the caller's umask") {
  Bundle b;
  REQUIRE(b.create().exit_code == 0);
  struct stat st;
  REQUIRE(::stat((b.state_root() + "/" + b.id() + "/exec.fifo").c_str(), &st) == 0);
  CHECK(S_ISFIFO(st.st_mode));
  CHECK((st.st_mode & 07777) == 0622);
}

TEST_CASE("a seccomp profile from the spec is enforced inside the container") {
  Bundle b;
  b.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW",
      "architectures":["SCMP_ARCH_X86_64"],
      "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]})");
  b.set_command("mkdir /tmp/x 2>/dev/null && echo made || echo refused");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "refused\n");
}

TEST_CASE("no inheritable capabilities unless the spec lists them (CVE-2022-29162)") {
  Bundle b;
  b.set_command("grep CapInh /proc/self/status");
  auto r = b.run();
  CHECK(r.out == "CapInh:\t0000000000000000\n");
}

TEST_CASE("SCMP_ACT_NOTIFY: the listener fd reaches the agent at listenerPath with runc's state") {
  Bundle b;
  std::string sock = b.dir() + "/agent.sock";
  int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, sock.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  b.set("/linux/seccomp", R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":")" + sock +
                              R"(","listenerMetadata":"meta-1",
      "architectures":["SCMP_ARCH_X86_64"],
      "syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_NOTIFY"}]})");
  b.set_command("mkdir /tmp/x 2>/dev/null && echo made || echo refused");

  // The agent: receive the listener, answer the first notification with EPERM.
  std::string message;
  std::thread agent([&] {
    int fd = accept_fd(listener, &message);
    if (fd < 0) return;
    seccomp_notif req{};
    if (::ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0) {
      seccomp_notif_resp resp{};
      resp.id = req.id;
      resp.error = -EPERM;
      ::ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    }
    ::close(fd);
  });
  auto r = b.run({}, with_timeout(20s));
  agent.join();
  ::close(listener);
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "refused\n");
  CHECK(message.find("\"fds\":[\"seccompFd\"]") != std::string::npos);
  CHECK(message.find("\"metadata\":\"meta-1\"") != std::string::npos);
  CHECK(message.find("\"id\":\"" + b.id() + "\"") != std::string::npos);
}
