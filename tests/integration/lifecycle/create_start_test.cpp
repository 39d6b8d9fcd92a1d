// create leaves the init waiting on exec.fifo; start lets it run.
#include <doctest/doctest.h>
#include <unistd.h>

#include <csignal>

#include "harness.hpp"

using namespace keel::test;

TEST_CASE("create leaves the init waiting: state created, pid file matches, process exists") {
  Bundle b;
  b.set_command("echo started");
  std::string pid_file = b.dir() + "/init.pid";
  auto r = b.create({"--pid-file", pid_file});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(b.status() == "created");
  pid_t pid = b.pid();
  CHECK(pid > 0);
  CHECK(read_file(pid_file) == std::to_string(pid));
  CHECK(process_exists(pid));
  CHECK(path_exists(b.state_root() + "/" + b.id() + "/exec.fifo"));
  CHECK(r.read_out().empty());  // nothing ran yet
}

TEST_CASE("start runs the process: its output reaches create's stdout") {
  Bundle b;
  b.set_command("echo hello-from-the-container");
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  auto s = b.start();
  REQUIRE_MESSAGE(s.exit_code == 0, s.err);
  REQUIRE(b.wait_status("stopped"));
  CHECK(c.read_out() == "hello-from-the-container\n");
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id() + "/exec.fifo"));
}

TEST_CASE("start writes through a bind-mounted file, and the container is running meanwhile") {
  Bundle b;
  std::string out = b.bind_file("/out");
  b.set_command("echo $$ > /out; sleep 30");
  REQUIRE(b.create().exit_code == 0);
  REQUIRE(b.start().exit_code == 0);
  CHECK(b.status() == "running");
  for (int i = 0; i < 100 && read_file(out).empty(); ++i) ::usleep(20000);
  CHECK(read_file(out) == "1\n");  // pid 1 inside its own pid namespace
}

TEST_CASE("start twice: cannot start an already running container") {
  Bundle b;
  b.set_command("sleep 30");
  REQUIRE(b.create().exit_code == 0);
  REQUIRE(b.start().exit_code == 0);
  auto again = b.start();
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("cannot start an already running container") != std::string::npos);
}

TEST_CASE("start on a stopped container: cannot start a container that has stopped") {
  Bundle b;
  b.set_command("true");
  REQUIRE(b.create().exit_code == 0);
  REQUIRE(b.start().exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  auto again = b.start();
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("cannot start a container that has stopped") != std::string::npos);
}

TEST_CASE("start reports an init killed while waiting instead of hanging") {
  Bundle b;
  REQUIRE(b.create().exit_code == 0);
  pid_t pid = b.pid();
  REQUIRE(pid > 0);
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 100 && process_exists(pid); ++i) ::usleep(10000);
  auto s = b.keel({"start", b.id()}, with_timeout(10s));
  CHECK_FALSE(s.timed_out);
  CHECK(s.exit_code == 1);
}

TEST_CASE("state JSON has runc's fields") {
  Bundle b;
  b.set("/annotations", R"({"org.example/key":"value"})");
  REQUIRE(b.create().exit_code == 0);
  auto s = b.state();
  REQUIRE(s.exit_code == 0);
  for (const char* field : {"\"ociVersion\"", "\"id\"", "\"pid\"", "\"status\"", "\"bundle\"",
                            "\"rootfs\"", "\"created\"", "\"owner\"", "\"annotations\""})
    CHECK_MESSAGE(s.out.find(field) != std::string::npos, std::string(field));
  CHECK(s.out.find("\"" + b.id() + "\"") != std::string::npos);
  CHECK(s.out.find("\"bundle\": \"" + b.dir() + "\"") != std::string::npos);
  CHECK(s.out.find("\"rootfs\": \"" + b.rootfs() + "\"") != std::string::npos);
  CHECK(s.out.find("org.example/key") != std::string::npos);
}

TEST_CASE("list shows a created container") {
  Bundle b;
  REQUIRE(b.create().exit_code == 0);
  auto l = b.keel({"list"});
  REQUIRE(l.exit_code == 0);
  CHECK(l.out.find(b.id()) != std::string::npos);
  CHECK(l.out.find("created") != std::string::npos);
  auto j = b.keel({"list", "--format", "json"});
  CHECK(j.out.find("\"id\":\"" + b.id() + "\"") != std::string::npos);
}

TEST_CASE(
    "the init's comm before start is keel:[2:INIT] (runc's runc:[2:INIT]), after start the "
    "container's") {
  Bundle b;
  b.set_command("exec sleep 30");
  REQUIRE(b.create().exit_code == 0);
  pid_t pid = b.pid();
  std::string before = read_file("/proc/" + std::to_string(pid) + "/comm");
  CHECK(before == "keel:[2:INIT]\n");
  REQUIRE(b.start().exit_code == 0);
  std::string after;
  for (int i = 0; i < 100; ++i) {
    after = read_file("/proc/" + std::to_string(pid) + "/comm");
    if (after == "sleep\n") break;
    ::usleep(20000);
  }
  CHECK(after == "sleep\n");
}
