// exec as the engines call it (--detach --pid-file, --process), refusals for stopped and paused
// containers, and a tty handed to a console socket (recvtty).
#include <doctest/doctest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <thread>

#include "exec_common.hpp"

using namespace keel::test;

namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// recvtty started in the background with its stdout in `out_path`; killed if still running.
struct Recvtty {
  pid_t pid = -1;
  Recvtty(const std::string& socket, const std::string& out_path, const std::string& mode) {
    pid = ::fork();
    if (pid == 0) {
      std::string redirect =
          "exec " RECVTTY_BINARY " --mode " + mode + " " + socket + " >" + out_path + " </dev/null";
      ::execl("/bin/sh", "sh", "-c", redirect.c_str(), nullptr);
      ::_exit(127);
    }
    for (int i = 0; i < 200 && !path_exists(socket); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  // Exit code, or -1 when it did not exit within the timeout.
  int wait(std::chrono::milliseconds timeout) {
    auto end = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (std::chrono::steady_clock::now() < end) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }
  ~Recvtty() {
    if (pid > 0) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
};

}  // namespace

TEST_CASE("exec --detach --pid-file writes the host pid of a live process in the container") {
  Bundle b;
  start_sleeper(b);
  std::string pid_file = b.dir() + "/exec.pid";
  auto r = exec_in(b, {"--detach", "--pid-file", pid_file}, {"sleep", "300"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  pid_t pid = std::stoi(read_file(pid_file));
  CHECK(process_exists(pid));
  CHECK(read_file("/proc/" + std::to_string(pid) + "/cmdline").starts_with("sleep"));
  // Nothing but stdio is open in it.
  CHECK(run_program({"/bin/ls", "/proc/" + std::to_string(pid) + "/fd"}).out == "0\n1\n2\n");
  // Same pid namespace and cgroup as the init.
  std::string init = "/proc/" + std::to_string(b.pid());
  std::string self = "/proc/" + std::to_string(pid);
  CHECK(trim(run_program({"/usr/bin/readlink", self + "/ns/pid"}).out) ==
        trim(run_program({"/usr/bin/readlink", init + "/ns/pid"}).out));
  CHECK(read_file(self + "/cgroup") == read_file(init + "/cgroup"));
}

TEST_CASE("exec --process --detach --pid-file, as containerd's shim sends it") {
  Bundle b;
  start_sleeper(b);
  std::string process = b.dir() + "/process.json";
  write_file(
      process,
      R"({"user":{"uid":0,"gid":0},"args":["sh","-c","echo shim-$FOO > /tmp/out; sleep 300"],)"
      R"("env":["PATH=/bin","FOO=ok"],"cwd":"/"})");
  std::string pid_file = b.dir() + "/exec.pid";
  auto r = b.keel({"exec", "--process", process, "--detach", "--pid-file", pid_file, b.id()},
                  with_timeout(20s));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  pid_t pid = std::stoi(read_file(pid_file));
  CHECK(process_exists(pid));
  std::string out;
  for (int i = 0; i < 100 && out.empty(); ++i) {
    out = read_file(b.rootfs() + "/tmp/out");
    if (out.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  CHECK(out == "shim-ok\n");
}

TEST_CASE("exec into a stopped container is refused") {
  Bundle b;
  b.set_command("true");
  REQUIRE(b.run({"--detach"}).exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  auto r = exec_in(b, {}, {"true"});
  CHECK(r.exit_code == 255);
  CHECK(r.err.find("cannot exec in a stopped container") != std::string::npos);
}

TEST_CASE("exec into a paused container is refused unless --ignore-paused") {
  Bundle b;
  start_sleeper(b);
  REQUIRE(b.keel({"pause", b.id()}).exit_code == 0);
  auto refused = exec_in(b, {}, {"true"});
  CHECK(refused.exit_code == 255);
  CHECK(refused.err.find("cannot exec in a paused container (use --ignore-paused to override)") !=
        std::string::npos);
  // The process joins the frozen cgroup: it runs once the container is resumed.
  CommandResult allowed;
  std::thread t([&] { allowed = exec_in(b, {"--ignore-paused"}, {"echo", "thawed"}); });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(b.keel({"resume", b.id()}).exit_code == 0);
  t.join();
  CHECK_MESSAGE(allowed.exit_code == 0, allowed.err);
  CHECK(allowed.out == "thawed\n");
}

TEST_CASE("exec --tty --console-socket hands a pty from the container's devpts to recvtty") {
  Bundle b;
  start_sleeper(b);
  std::string socket = b.dir() + "/console.sock";
  std::string out = b.dir() + "/tty.out";
  Recvtty recv(socket, out, "single");
  auto r = exec_in(b, {"--tty", "--detach", "--console-socket", socket},
                   {"sh", "-c", "readlink /proc/self/fd/0; echo on-tty"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(recv.wait(10s) == 0);
  CHECK(read_file(out) == "/dev/pts/0\r\non-tty\r\n");
}

TEST_CASE("exec --tty --detach without a console socket is refused like runc") {
  Bundle b;
  start_sleeper(b);
  auto r = exec_in(b, {"--tty", "--detach"}, {"true"});
  CHECK(r.exit_code == 255);
  CHECK(r.err.find("cannot allocate tty if runc will detach without setting console socket") !=
        std::string::npos);
}

TEST_CASE("exec --tty in the foreground relays the pty through keel's stdio") {
  Bundle b;
  start_sleeper(b);
  RunOptions o = with_timeout(20s);
  auto r = exec_in(b, {"--tty"}, {"sh", "-c", "readlink /proc/self/fd/1; exit 4"});
  CHECK(r.exit_code == 4);
  CHECK(r.out == "/dev/pts/0\r\n");
}

TEST_CASE("exec --preserve-fds passes fd 3 of the caller into the process") {
  Bundle b;
  start_sleeper(b);
  std::string path = b.dir() + "/preserved.txt";
  write_file(path, "");
  pid_t pid = ::fork();
  if (pid == 0) {
    int fd = ::open(path.c_str(), O_WRONLY);
    ::dup2(fd, 3);
    ::execl(KEEL_BINARY, "keel", "--root", b.state_root().c_str(), "exec", "--preserve-fds", "1",
            b.id().c_str(), "sh", "-c", "echo via-fd-3 >&3", nullptr);
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(read_file(path) == "via-fd-3\n");
}

// v1: `pids:sub` moves it in the pids hierarchy only. v2 has one hierarchy, and runc takes a
// plain path there.
TEST_CASE("exec --cgroup puts the process in a sub-cgroup of the container's") {
  Bundle b;
  start_sleeper(b);
  bool v2 = cgroup_v2_host();
  std::string sub = cgroup_dir("pids", b.cgroup_path()) + "/sub";
  REQUIRE(::mkdir(sub.c_str(), 0755) == 0);
  std::string pid_file = b.dir() + "/exec.pid";
  auto r = exec_in(b, {"--cgroup", v2 ? "sub" : "pids:sub", "--detach", "--pid-file", pid_file},
                   {"sleep", "300"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::string cgroup = read_file("/proc/" + trim(read_file(pid_file)) + "/cgroup");
  if (v2) {
    CHECK(cgroup == "0::" + b.cgroup_path() + "/sub\n");
  } else {
    CHECK(cgroup.find("pids:" + b.cgroup_path() + "/sub\n") != std::string::npos);
    CHECK(cgroup.find("memory:" + b.cgroup_path() + "\n") != std::string::npos);
  }
}

TEST_CASE("an exec'd process lands in the container's cgroup (0::<cgroupsPath> on v2)") {
  Bundle b;
  start_sleeper(b);
  std::string pid_file = b.dir() + "/exec.pid";
  auto r = exec_in(b, {"--detach", "--pid-file", pid_file}, {"sleep", "300"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  std::string pid = trim(read_file(pid_file));
  std::string cgroup = read_file("/proc/" + pid + "/cgroup");
  if (cgroup_v2_host()) {
    CHECK(cgroup == "0::" + b.cgroup_path() + "\n");
  } else {
    for (const char* c : {"pids", "memory", "devices", "freezer"})
      CHECK_MESSAGE(cgroup.find(std::string(c) + ":" + b.cgroup_path() + "\n") != std::string::npos,
                    cgroup);
  }
  // The cgroup lists it, next to the init.
  std::string procs = read_file(cgroup_dir("pids", b.cgroup_path()) + "/cgroup.procs");
  CHECK(procs.find(pid + "\n") != std::string::npos);
  CHECK(procs.find(std::to_string(b.pid()) + "\n") != std::string::npos);
}

TEST_CASE("exec --pidfd-socket sends a pidfd of the exec'd process") {
  Bundle b;
  start_sleeper(b);
  std::string path = b.dir() + "/pidfd.sock";
  int listener = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::strncpy(addr.sun_path, path.c_str(), sizeof addr.sun_path - 1);
  REQUIRE(::bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(listener, 1) == 0);
  std::string pid_file = b.dir() + "/exec.pid";
  auto r =
      exec_in(b, {"--detach", "--pid-file", pid_file, "--pidfd-socket", path}, {"sleep", "300"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  int pidfd = accept_fd(listener);
  REQUIRE(pidfd >= 0);
  // The fd's Pid: line names the exec'd process.
  std::string info = read_file("/proc/self/fdinfo/" + std::to_string(pidfd));
  CHECK(info.find("Pid:\t" + trim(read_file(pid_file)) + "\n") != std::string::npos);
  ::close(pidfd);
  ::close(listener);
}
