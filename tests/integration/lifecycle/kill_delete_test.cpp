// kill and delete, with runc's errors.
#include <doctest/doctest.h>
#include <unistd.h>

#include "harness.hpp"

using namespace keel::test;

namespace {
void create_and_start_sleeper(const Bundle& b) {
  REQUIRE(b.create().exit_code == 0);
  REQUIRE(b.start().exit_code == 0);
  REQUIRE(b.status() == "running");
}
}  // namespace

TEST_CASE("kill with a signal name, a SIG name and a number stops the container") {
  for (const char* sig : {"KILL", "SIGKILL", "9", "TERM", "15"}) {
    Bundle b;
    b.set_command("trap 'exit 0' TERM; while true; do sleep 0.1; done");
    create_and_start_sleeper(b);
    auto k = b.kill(sig);
    CHECK_MESSAGE(k.exit_code == 0, (std::string(sig) + " " + k.err));
    CHECK_MESSAGE(b.wait_status("stopped"), std::string(sig));
  }
}

TEST_CASE("kill with no signal sends SIGTERM") {
  Bundle b;
  std::string out = b.bind_file("/out");
  b.set_command("trap 'echo got-term > /out; exit 0' TERM; while true; do sleep 0.1; done");
  create_and_start_sleeper(b);
  ::usleep(200000);  // let the trap be installed
  CHECK(b.kill().exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  CHECK(read_file(out) == "got-term\n");
}

TEST_CASE("kill on a stopped container: container not running") {
  Bundle b;
  b.set_command("true");
  REQUIRE(b.create().exit_code == 0);
  REQUIRE(b.start().exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  auto k = b.kill("9");
  CHECK(k.exit_code == 1);
  CHECK(k.err.find("container not running") != std::string::npos);
}

TEST_CASE("kill --all signals every process in the container's cgroup") {
  Bundle b;
  b.set_command("sleep 30 & sleep 30 & wait");
  create_and_start_sleeper(b);
  CHECK(b.kill("KILL", true).exit_code == 0);
  CHECK(b.wait_status("stopped"));
}

TEST_CASE("delete on a running container: not stopped error, container untouched") {
  Bundle b;
  b.set_command("sleep 30");
  create_and_start_sleeper(b);
  auto d = b.del();
  CHECK(d.exit_code == 1);
  CHECK(d.err.find("cannot delete container " + b.id() + " that is not stopped: running") !=
        std::string::npos);
  CHECK(b.status() == "running");
}

TEST_CASE("delete --force on a running container kills it and removes everything") {
  Bundle b;
  b.set_command("sleep 30");
  create_and_start_sleeper(b);
  pid_t pid = b.pid();
  CHECK(b.del(true).exit_code == 0);
  CHECK_FALSE(process_exists(pid));
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
}

TEST_CASE("delete --force of a missing container exits 0; without --force it fails") {
  Bundle b;
  CHECK(b.del(true).exit_code == 0);
  auto d = b.del();
  CHECK(d.exit_code == 1);
  CHECK(d.err.find("container does not exist") != std::string::npos);
}

TEST_CASE("delete of a created container kills the waiting init") {
  Bundle b;
  REQUIRE(b.create().exit_code == 0);
  pid_t pid = b.pid();
  CHECK(b.del().exit_code == 0);
  CHECK_FALSE(process_exists(pid));
  CHECK(keel_test_cgroups(b.id()).empty());
}

TEST_CASE("delete of a stopped container removes its state dir and cgroup") {
  Bundle b;
  b.set_command("true");
  REQUIRE(b.create().exit_code == 0);
  CHECK_FALSE(keel_test_cgroups(b.id()).empty());
  REQUIRE(b.start().exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  CHECK(b.del().exit_code == 0);
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
}

TEST_CASE("delete --force on a paused container thaws, kills and removes it") {
  Bundle b;
  b.set_command("sleep 30");
  create_and_start_sleeper(b);
  pid_t pid = b.pid();
  auto p = b.keel({"pause", b.id()});
  REQUIRE_MESSAGE(p.exit_code == 0, p.err);
  CHECK(b.status() == "paused");
  CHECK(b.del(true).exit_code == 0);
  CHECK_FALSE(process_exists(pid));
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
}

TEST_CASE("kill on a created container stops the waiting init") {
  Bundle b;
  REQUIRE(b.create().exit_code == 0);
  CHECK(b.kill("KILL").exit_code == 0);
  CHECK(b.wait_status("stopped"));
}
