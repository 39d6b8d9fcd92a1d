// process.consoleSize: the pty keel allocates starts at that size, whether its master goes to a
// --console-socket (recvtty here) or keel relays it itself with a stdin that is no terminal.
// (With a terminal on stdin, keel copies that terminal's size over it, as runc does.)
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "harness.hpp"
#include "tmux.hpp"

using namespace keel::test;

namespace {

constexpr const char* kSize = R"({"height": 17, "width": 53})";

// recvtty in the background, the pty's output in `out_path`; killed if still running.
struct Recvtty {
  pid_t pid = -1;
  Recvtty(const std::string& socket, const std::string& out_path) {
    pid = ::fork();
    if (pid == 0) {
      std::string cmd = "exec " + shell_quote(RECVTTY_BINARY) + " " + shell_quote(socket) + " >" +
                        shell_quote(out_path) + " </dev/null";
      ::execl("/bin/sh", "sh", "-c", cmd.c_str(), nullptr);
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !path_exists(socket); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // recvtty ends when the pty is hung up: true when it did within `timeout`.
  bool wait(std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      if (::waitpid(pid, nullptr, WNOHANG) == pid) {
        pid = -1;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  ~Recvtty() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

void add_stty(const Bundle& b) {
  std::filesystem::create_symlink("busybox", b.rootfs() + "/bin/stty");
}

void start_sleeper(Bundle& b) {
  b.set_command("sleep 1000");
  auto r = b.run({"--detach"}, with_timeout(20s));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  REQUIRE(b.wait_status("running"));
}

// An exec process file as engines write it, with a terminal of kSize.
std::string process_file(const Bundle& b, const std::string& shell) {
  std::string path = b.dir() + "/process.json";
  write_file(path, R"({"terminal": true, "consoleSize": )" + std::string(kSize) +
                       R"(, "user": {"uid": 0, "gid": 0}, "args": ["sh", "-c", ")" + shell +
                       R"("], "env": ["PATH=/bin", "TERM=xterm"], "cwd": "/"})");
  return path;
}

}  // namespace

TEST_CASE("exec --process with consoleSize and --console-socket: the pty has that size") {
  Bundle b;
  add_stty(b);
  start_sleeper(b);
  std::string socket = b.dir() + "/console.sock", out = b.dir() + "/tty.out";
  Recvtty recv(socket, out);
  auto r = b.keel({"exec", "--process", process_file(b, "stty size"), "--detach",
                   "--console-socket", socket, b.id()},
                  with_timeout(20s));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(recv.wait(10s));
  CHECK(read_file(out) == "17 53\r\n");
}

TEST_CASE("exec --process with consoleSize in the foreground: the relayed pty has that size") {
  Bundle b;
  add_stty(b);
  start_sleeper(b);
  // The harness gives keel a file as stdin: no terminal whose size would replace consoleSize.
  auto r = b.keel({"exec", "--process", process_file(b, "stty size; exit 7"), b.id()},
                  with_timeout(20s));
  CHECK_MESSAGE(r.exit_code == 7, r.err);
  CHECK(r.out == "17 53\r\n");
}

TEST_CASE("run with process.consoleSize and --console-socket: the init's pty has that size") {
  Bundle b;
  add_stty(b);
  b.set("/process/terminal", "true");
  b.set("/process/consoleSize", kSize);
  b.set_command("stty size");
  std::string socket = b.dir() + "/console.sock", out = b.dir() + "/tty.out";
  Recvtty recv(socket, out);
  auto r = b.run({"--detach", "--console-socket", socket}, with_timeout(20s));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(recv.wait(10s));
  CHECK(read_file(out) == "17 53\r\n");
}

TEST_CASE("foreground run with process.consoleSize: the relayed pty has that size") {
  Bundle b;
  add_stty(b);
  b.set("/process/terminal", "true");
  b.set("/process/consoleSize", kSize);
  b.set_command("stty size");
  auto r = b.run({}, with_timeout(20s));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "17 53\r\n");
}

TEST_CASE(
    "foreground exec --process at a terminal: the terminal's size replaces consoleSize from the "
    "start") {
  Bundle b;
  add_stty(b);
  start_sleeper(b);
  std::string cmd = shell_quote(KEEL_BINARY) + " --root " + shell_quote(b.state_root()) +
                    " exec --process " + shell_quote(process_file(b, "stty size; sleep 100")) +
                    " " + shell_quote(b.id());
  Tmux t(b.dir(), 80, 24, cmd);
  REQUIRE(t.started());
  CHECK_MESSAGE(t.wait_for("24 80"), t.screen());
  CHECK(t.screen().find("17 53") == std::string::npos);
}

TEST_CASE("foreground run at a terminal: the terminal's size replaces consoleSize from the start") {
  Bundle b;
  add_stty(b);
  b.set("/process/terminal", "true");
  b.set("/process/consoleSize", kSize);
  b.set_command("stty size; sleep 100");
  std::string cmd = shell_quote(KEEL_BINARY) + " --root " + shell_quote(b.state_root()) +
                    " run --bundle " + shell_quote(b.dir()) + " " + shell_quote(b.id());
  Tmux t(b.dir(), 80, 24, cmd);
  REQUIRE(t.started());
  CHECK_MESSAGE(t.wait_for("24 80"), t.screen());
  CHECK(t.screen().find("17 53") == std::string::npos);
}
