// OCI hooks with busybox sh as the hook program: stdin, argv/env, order, runc's failure and
// timeout messages, and no child left behind.
#include "keel/linux/hooks.hpp"

#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "support.hpp"

using keel::process::run_hooks;
using keel::spec::Hook;
using keel::test::read_file;

namespace {

const std::string kState =
    R"({"ociVersion":"1.2.0","id":"c1","status":"creating","pid":42,"bundle":"/b"})";

Hook sh(const std::string& script, std::vector<std::string> env = {},
        std::optional<int32_t> timeout = {}) {
  return Hook{"/bin/busybox", {"sh", "-c", script}, std::move(env), timeout};
}

// No child of ours is left, running or zombie.
bool no_children() {
  return waitpid(-1, nullptr, WNOHANG) == -1 && errno == ECHILD;
}

}  // namespace

TEST_CASE("a hook gets the container state on stdin") {
  keel::test::TempDir dir;
  const std::string out = dir.path() + "/state";
  REQUIRE(run_hooks({sh("/bin/busybox cat > " + out)}, "createRuntime", kState).has_value());
  CHECK(read_file(out) == kState);
  CHECK(no_children());
}

TEST_CASE("a hook gets exactly its args and env") {
  keel::test::TempDir dir;
  const std::string out = dir.path() + "/seen";
  Hook hook{"/bin/busybox",
            {"sh", "-c",
             "/bin/busybox tr '\\0' '\\n' < /proc/$$/environ > \"$OUT\"; echo \"$0|$1|$2\" >> "
             "\"$OUT\"",
             "zero", "one", "two"},
            {"OUT=" + out, "A=1"},
            {}};
  REQUIRE(run_hooks({hook}, "prestart", kState).has_value());
  CHECK(read_file(out) == "OUT=" + out + "\nA=1\nzero|one|two\n");
}

TEST_CASE("a hook without env inherits the caller's environment, as runc's exec.Cmd does") {
  keel::test::TempDir dir;
  const std::string out = dir.path() + "/env";
  setenv("KEEL_HOOK_TEST", "inherited", 1);
  Hook hook{"/bin/busybox", {"sh", "-c", "echo \"$KEEL_HOOK_TEST\" > " + out}, {}, {}};
  REQUIRE(run_hooks({hook}, "poststop", kState).has_value());
  unsetenv("KEEL_HOOK_TEST");
  CHECK(read_file(out) == "inherited\n");
}

TEST_CASE("hooks run one after the other in the order given") {
  keel::test::TempDir dir;
  const std::string out = dir.path() + "/order";
  std::vector<Hook> hooks;
  for (const char* n : {"1", "2", "3"}) {
    hooks.push_back(sh("sleep 0.1; echo " + std::string(n) + " >> " + out));
  }
  REQUIRE(run_hooks(hooks, "poststart", kState).has_value());
  CHECK(read_file(out) == "1\n2\n3\n");
}

TEST_CASE("a failing hook stops the phase with its exit status and output in runc's words") {
  keel::test::TempDir dir;
  const std::string marker = dir.path() + "/after";
  auto r = run_hooks({sh("true"), sh("echo out; echo err >&2; exit 3"), sh("touch " + marker)},
                     "prestart", kState);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message ==
        "error running prestart hook #1: error running hook: exit status 3, stdout: out\n, "
        "stderr: err\n");
  CHECK_FALSE(std::filesystem::exists(marker));
  CHECK(no_children());
}

TEST_CASE("a hook killed by a signal is reported like Go reports it") {
  auto r = run_hooks({sh("kill -9 $$")}, "createContainer", kState);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message ==
        "error running createContainer hook #0: error running hook: signal: killed, stdout: , "
        "stderr: ");
}

TEST_CASE("a hook that cannot be executed fails with Go's fork/exec message") {
  auto r = run_hooks({Hook{"/nonexistent-hook", {}, {}, {}}}, "poststop", kState);
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message ==
        "error running poststop hook #0: fork/exec /nonexistent-hook: no such file or directory");
  CHECK(no_children());
}

TEST_CASE("a hook past its timeout is killed in time and reaped") {
  keel::test::TempDir dir;
  const std::string pidfile = dir.path() + "/pid";
  const auto start = std::chrono::steady_clock::now();
  auto r =
      run_hooks({sh("echo $$ > " + pidfile + "; exec sleep 100", {}, 1)}, "createRuntime", kState);
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message ==
        "error running createRuntime hook #0: hook ran past specified timeout of 1.0s");
  CHECK(took >= std::chrono::milliseconds(900));
  CHECK(took < std::chrono::seconds(3));
  const pid_t hook_pid = std::atoi(read_file(pidfile).c_str());
  REQUIRE(hook_pid > 0);
  CHECK((kill(hook_pid, 0) == -1 && errno == ESRCH));  // killed and reaped, not a zombie
  CHECK(no_children());
}

TEST_CASE("a large state is fed fully, and a hook ignoring stdin does not break the runtime") {
  keel::test::TempDir dir;
  const std::string big = "{\"pad\":\"" + std::string(300 * 1024, 'x') + "\"}";
  const std::string out = dir.path() + "/big";
  REQUIRE(run_hooks({sh("/bin/busybox cat > " + out)}, "prestart", big).has_value());
  CHECK(read_file(out) == big);
  // Exits without reading: the write end gets EPIPE, never a fatal SIGPIPE.
  REQUIRE(run_hooks({sh("exit 0")}, "prestart", big).has_value());
  CHECK(no_children());
}

TEST_CASE("no hooks is a no-op") {
  CHECK(run_hooks({}, "prestart", kState).has_value());
}
