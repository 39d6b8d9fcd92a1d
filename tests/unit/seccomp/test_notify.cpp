// SCMP_ACT_NOTIFY end to end: the child sends its listener to an agent with runc's wire format,
// the agent (this test) answers each notification, the child sees the answers.
#include <doctest/doctest.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "child.hpp"
#include "keel/fd.hpp"
#include "keel/linux/seccomp_install.hpp"

using namespace keel;
using namespace keel::seccomp;
using namespace keel::seccomp::test;

namespace {

UniqueFd listen_at(const std::string& path) {
  UniqueFd s(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  REQUIRE(s);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(bind(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(listen(s.get(), 1) == 0);
  return s;
}

void wait_readable(int fd) {
  pollfd p{fd, POLLIN, 0};
  REQUIRE(poll(&p, 1, 10000) == 1);
}

struct Received {
  std::string json;
  UniqueFd fd;
};

Received receive_listener(int listening) {
  wait_readable(listening);
  UniqueFd conn(accept4(listening, nullptr, nullptr, SOCK_CLOEXEC));
  REQUIRE(conn);
  char data[8192];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
  iovec iov{data, sizeof data};
  msghdr msg{};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  wait_readable(conn.get());
  ssize_t n = recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC);
  REQUIRE(n > 0);
  cmsghdr* c = CMSG_FIRSTHDR(&msg);
  REQUIRE(c != nullptr);
  REQUIRE(c->cmsg_type == SCM_RIGHTS);
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return {std::string(data, size_t(n)), UniqueFd(fd)};
}

void answer_next(int listener, int expected_nr, int error) {
  wait_readable(listener);
  seccomp_notif req{};
  REQUIRE(ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) == 0);
  CHECK(req.data.nr == expected_nr);
  seccomp_notif_resp resp{};
  resp.id = req.id;
  resp.error = error;
  resp.val = 0;
  REQUIRE(ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0);
}

}  // namespace

TEST_CASE(
    "SCMP_ACT_NOTIFY: the agent gets the listener and runc's state JSON, and its answers "
    "are what the syscall returns") {
  TempDir dir;
  std::string sock_path = dir.path() + "/agent.sock";
  UniqueFd listening = listen_at(sock_path);
  auto c = must_compile(R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":")" + sock_path +
                        R"(","listenerMetadata":"meta \"quoted\"",
      "syscalls":[{"names":["mkdirat","mkdir"],"action":"SCMP_ACT_NOTIFY"}]})");
  REQUIRE(c.needs_listener);

  auto out = run_filtered(
      c,
      [&](const Reporter& r) {
        ListenerState state;
        state.id = "notify-test";
        state.pid = getpid();
        state.bundle = "/bundle";
        state.annotations = {{"org.example", "yes"}};
        auto sent = send_listener_fd(sock_path, r.listener(),
                                     listener_message(state, getpid(), "meta \"quoted\""));
        if (!sent) _exit(50);
        close(r.listener());
        r.report(result_of(syscall(SYS_mkdirat, AT_FDCWD, "/nonexistent-keel/a", 0700)));
        r.report(result_of(syscall(SYS_mkdirat, AT_FDCWD, "/nonexistent-keel/b", 0700)));
      },
      [&](pid_t child) {
        Received got = receive_listener(listening.get());
        rapidjson::Document doc;
        doc.Parse(got.json.c_str());
        REQUIRE(!doc.HasParseError());
        CHECK(std::string(doc["ociVersion"].GetString()) == "1.0.2");
        REQUIRE(doc["fds"].Size() == 1);
        CHECK(std::string(doc["fds"][0].GetString()) == "seccompFd");
        CHECK(doc["pid"].GetInt() == child);
        CHECK(std::string(doc["metadata"].GetString()) == "meta \"quoted\"");
        const auto& state = doc["state"];
        CHECK(std::string(state["id"].GetString()) == "notify-test");
        CHECK(std::string(state["status"].GetString()) == "creating");
        CHECK(state["pid"].GetInt() == child);
        CHECK(std::string(state["bundle"].GetString()) == "/bundle");
        CHECK(std::string(state["annotations"]["org.example"].GetString()) == "yes");

        answer_next(got.fd.get(), SYS_mkdirat, -EROFS);
        answer_next(got.fd.get(), SYS_mkdirat, 0);
      });
  CHECK(out.exited_ok());
  CHECK(out.reports == std::vector<int64_t>{-EROFS, 0});
}

TEST_CASE("sending the listener to a socket nobody listens on fails with the path named") {
  TempDir dir;
  auto r = send_listener_fd(dir.path() + "/nobody.sock", 0, "{}");
  REQUIRE(!r);
  CHECK(r.error().code == ENOENT);
  CHECK(r.error().message.find(dir.path() + "/nobody.sock") != std::string::npos);
}
