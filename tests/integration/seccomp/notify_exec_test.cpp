// SCMP_ACT_NOTIFY through `exec`: the exec'd process installs the container's filter and keel
// hands its own listener, with runc's state ("running", the exec'd process's pid), to the agent.
#include <doctest/doctest.h>
#include <poll.h>
#include <rapidjson/document.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "harness.hpp"
#include "seccomp_fixture.hpp"

using namespace keel::test;

namespace {

// An agent for several connections, one at a time from this test's thread: each connection's
// state JSON and listener fd are kept; notifications are answered only on the listener picked.
class MultiAgent {
 public:
  MultiAgent() : path_(dir_.path() + "/agent.sock") {
    listen_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof addr.sun_path - 1);
    REQUIRE(::bind(listen_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listen_, 4) == 0);
  }
  ~MultiAgent() {
    for (int fd : listeners) ::close(fd);
    ::close(listen_);
  }
  const std::string& path() const { return path_; }

  // Accepts one runtime connection (waiting up to 10 s): its state JSON and listener.
  bool accept_one() {
    pollfd p{listen_, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0) return false;
    std::string state;
    int fd = accept_fd(listen_, &state);
    if (fd < 0) return false;
    states.push_back(state);
    listeners.push_back(fd);
    return true;
  }

  // Answers the next notification on `listener` with errno `err`; its pid, or -1 on timeout.
  int answer_one(int listener, int err) {
    pollfd p{listener, POLLIN, 0};
    if (::poll(&p, 1, 10000) <= 0 || !(p.revents & POLLIN)) return -1;
    seccomp_notif req{};
    if (::ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) return -1;
    seccomp_notif_resp resp = reply(err);
    resp.id = req.id;
    ::ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
    return int(req.pid);
  }

  std::vector<std::string> states;
  std::vector<int> listeners;

 private:
  TempDir dir_{"keel-agent"};
  std::string path_;
  int listen_ = -1;
};

}  // namespace

TEST_CASE("NOTIFY with exec: the exec'd process's listener and state reach the agent") {
  MultiAgent agent;
  Bundle b;
  add_applets(b, {"mkdir"});
  b.set("/linux/seccomp",
        R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],)"
        R"("listenerPath":")" +
            agent.path() +
            R"(","listenerMetadata":"meta-exec",)"
            R"("syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_NOTIFY"}]})");
  b.set_command("exec sleep 30");
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  REQUIRE(agent.accept_one());  // the init's listener, handed over during create
  REQUIRE(b.start().exit_code == 0);

  // exec blocks in mkdir until the agent answers: run it in the background.
  std::string out = b.dir() + "/exec.out", err = b.dir() + "/exec.err";
  pid_t keel = ::fork();
  if (keel == 0) {
    std::string cmd = std::string(KEEL_BINARY) + " --root " + b.state_root() + " exec " + b.id() +
                      " mkdir /tmp/from-exec >" + out + " 2>" + err;
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
    ::_exit(127);
  }
  REQUIRE(agent.accept_one());  // the exec'd process's own listener
  int notified = agent.answer_one(agent.listeners[1], EROFS);
  int status = 0;
  ::waitpid(keel, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);
  CHECK(read_file(err) ==
        "mkdir: can't create directory '/tmp/from-exec': Read-only file system\n");

  rapidjson::Document d;
  d.Parse(agent.states[1].c_str());
  REQUIRE_MESSAGE(d.IsObject(), agent.states[1]);
  CHECK(std::string(d["metadata"].GetString()) == "meta-exec");
  CHECK(std::string(d["state"]["status"].GetString()) == "running");
  CHECK(std::string(d["state"]["id"].GetString()) == b.id());
  CHECK(d["state"]["pid"].GetInt() == b.pid());  // the container's init
  CHECK(d["pid"].GetInt() == notified);          // the process that made the call
  CHECK(notified != b.pid());
}
