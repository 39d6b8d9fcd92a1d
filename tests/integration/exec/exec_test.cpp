// Foreground exec: what the new process sees from inside the container, and its exit code.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_common.hpp"

using namespace keel::test;

namespace {

std::string sh(const Bundle& b, const std::vector<std::string>& flags, const std::string& cmd,
               int want_code = 0) {
  auto r = exec_in(b, flags, {"sh", "-c", cmd});
  CHECK_MESSAGE(r.exit_code == want_code, r.err);
  return r.out;
}

}  // namespace

TEST_CASE("exec runs as the config's user by default and as --user uid:gid with -g") {
  Bundle b;
  start_sleeper(b);
  CHECK(sh(b, {}, "id") == "uid=0(root) gid=0(root)\n");
  CHECK(sh(b, {"--user", "1000:1001", "-g", "5", "-g", "6"}, "id -u; id -g; id -G") ==
        "1000\n1001\n1001 5 6\n");
}

TEST_CASE("exec --env adds to the config's environment and --cwd sets the directory") {
  Bundle b;
  start_sleeper(b);
  std::string out = sh(b, {"-e", "FOO=bar", "--cwd", "/bin"}, "echo $FOO; echo $TERM; pwd");
  CHECK(out == "bar\nxterm\n/bin\n");
}

TEST_CASE("exec gets the config's capabilities, and --cap adds one") {
  Bundle b;
  start_sleeper(b);
  CHECK(sh(b, {}, "grep CapEff /proc/self/status") == "CapEff:\t0000000020200420\n");
  CHECK(sh(b, {"--cap", "CAP_CHOWN"}, "grep CapEff /proc/self/status") ==
        "CapEff:\t0000000020200421\n");
  CHECK(sh(b, {"--user", "1000"}, "grep CapEff /proc/self/status") ==
        "CapEff:\t0000000000000000\n");
}

TEST_CASE("exec --no-new-privs sets NoNewPrivs") {
  Bundle b;
  b.set("/process/noNewPrivileges", "false");
  start_sleeper(b);
  CHECK(sh(b, {}, "grep NoNewPrivs /proc/self/status") == "NoNewPrivs:\t0\n");
  CHECK(sh(b, {"--no-new-privs"}, "grep NoNewPrivs /proc/self/status") == "NoNewPrivs:\t1\n");
}

TEST_CASE("exec joins the init's cgroup and pid namespace") {
  Bundle b;
  start_sleeper(b);
  pid_t init = b.pid();
  std::string init_cgroup = read_file("/proc/" + std::to_string(init) + "/cgroup");
  CHECK(sh(b, {}, "cat /proc/self/cgroup") == init_cgroup);
  // The init is pid 1 in the namespace the exec'd process sees.
  CHECK(sh(b, {}, "cat /proc/1/cmdline | tr '\\0' ' '; echo") == "sleep 1000 \n");
  CHECK(sh(b, {}, "echo $$") != std::to_string(init) + "\n");
}

TEST_CASE("exec sees only its stdio: no fd of the runtime leaks in") {
  Bundle b;
  start_sleeper(b);
  // ls holds one directory fd of its own while listing.
  CHECK(sh(b, {}, "ls /proc/self/fd") == "0\n1\n2\n3\n");
}

TEST_CASE("exec returns the process's exit code, 128+N on signal N, and 255 on a missing binary") {
  Bundle b;
  start_sleeper(b);
  CHECK(exec_in(b, {}, {"true"}).exit_code == 0);
  CHECK(exec_in(b, {}, {"sh", "-c", "exit 7"}).exit_code == 7);
  CHECK(exec_in(b, {}, {"sh", "-c", "kill -9 $$"}).exit_code == 128 + 9);
  auto missing = exec_in(b, {}, {"no-such-binary"});
  CHECK(missing.exit_code == 255);
  CHECK(missing.err.find("exec failed: unable to start container process: exec: "
                         "\\\"no-such-binary\\\": executable file not found in $PATH") !=
        std::string::npos);
  // The binary is looked for inside the container, not on the host.
  CHECK(exec_in(b, {}, {"/usr/bin/env"}).exit_code == 255);
}

TEST_CASE("exec passes the process's stdout through") {
  Bundle b;
  start_sleeper(b);
  auto r = exec_in(b, {}, {"echo", "from-exec"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == "from-exec\n");
}

TEST_CASE("exec --process runs docker's process.json") {
  Bundle b;
  start_sleeper(b);
  std::string file =
      std::string(KEEL_SOURCE_DIR) + "/tests/fixtures/specs/docker-exec-process.json";
  auto r = b.keel({"exec", "--process", file, b.id()}, with_timeout(20s));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "exec-hello\n");
}

TEST_CASE("exec with no command and no --process is refused") {
  Bundle b;
  start_sleeper(b);
  auto r = b.keel({"exec", b.id()});
  CHECK(r.exit_code == 255);
  CHECK(r.err.find("exec args cannot be empty") != std::string::npos);
}

TEST_CASE("exec runs under the container's seccomp filter") {
  Bundle b;
  b.set("/linux/seccomp",
        R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],)"
        R"("action":"SCMP_ACT_ERRNO","errnoRet":1}]})");
  start_sleeper(b);
  auto r = exec_in(b, {}, {"busybox", "mkdir", "/tmp/refused"});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("Operation not permitted") != std::string::npos);
  CHECK_FALSE(path_exists(b.rootfs() + "/tmp/refused"));
  // The filter is there for a second exec too (compiled program taken from the cache).
  CHECK(exec_in(b, {}, {"busybox", "mkdir", "/tmp/refused"}).exit_code != 0);
  CHECK(exec_in(b, {}, {"true"}).exit_code == 0);
}

TEST_CASE("exec in the foreground forwards signals to the process") {
  Bundle b;
  start_sleeper(b);
  std::string ready = b.dir() + "/rootfs/tmp/ready";
  pid_t keel_pid = ::fork();
  if (keel_pid == 0) {
    ::execl(KEEL_BINARY, "keel", "--root", b.state_root().c_str(), "exec", b.id().c_str(), "sh",
            "-c", "trap 'exit 9' TERM; echo > /tmp/ready; while true; do sleep 0.1; done", nullptr);
    ::_exit(127);
  }
  for (int i = 0; i < 500 && !path_exists(ready); ++i) ::usleep(10000);
  REQUIRE(path_exists(ready));
  ::kill(keel_pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 1000 && ::waitpid(keel_pid, &status, WNOHANG) == 0; ++i) ::usleep(10000);
  if (::waitpid(keel_pid, &status, WNOHANG) == 0) {
    ::kill(keel_pid, SIGKILL);
    ::waitpid(keel_pid, &status, 0);
  }
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 9);
}
