// pause / resume: the freezer stops and restarts the container's processes; kill and delete
// --force still work on a paused container.
#include <doctest/doctest.h>
#include <unistd.h>

#include "harness.hpp"
#include "manage_util.hpp"

using namespace keel::test;

namespace {

// A counter written with builtins only, 20 times a second (sleep is the only fork).
std::string counter_command() {
  return "i=0; while true; do i=$((i+1)); echo $i > /out; sleep 0.05; done";
}

// The freezer as the kernel reports it: v1's freezer.state, or on v2 cgroup.freeze (what keel
// asked for) and cgroup.events' "frozen" (what the kernel achieved) as "FROZEN" / "THAWED".
std::string freezer_state(const Bundle& b) {
  if (!cgroup_v2_host()) return cgroup_value(b, "freezer", "freezer.state");
  bool asked = cgroup_value(b, "unified", "cgroup.freeze") == "1";
  bool frozen = keyed_value(cgroup_value(b, "unified", "cgroup.events"), "frozen") == 1;
  if (asked && frozen) return "FROZEN";
  if (!asked && !frozen) return "THAWED";
  return asked ? "FREEZING" : "THAWING";
}

void start_counter(Bundle& b, std::string& out) {
  out = b.bind_file("/out");
  b.set_command(counter_command());
  start_running(b);
  REQUIRE(eventually([&] { return !read_file(out).empty(); }));
}

}  // namespace

TEST_CASE("pause stops a counter and status is paused; resume restarts it") {
  Bundle b("pau");
  std::string out;
  start_counter(b, out);
  auto p = b.keel({"pause", b.id()});
  REQUIRE_MESSAGE(p.exit_code == 0, p.err);
  CHECK(b.status() == "paused");
  CHECK(freezer_state(b) == "FROZEN");
  std::string frozen_at = read_file(out);
  ::usleep(600000);
  CHECK(read_file(out) == frozen_at);

  auto r = b.keel({"resume", b.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(b.status() == "running");
  CHECK(freezer_state(b) == "THAWED");
  CHECK(eventually([&] { return read_file(out) != frozen_at; }, std::chrono::seconds(3)));
}

TEST_CASE("pause of a paused container and resume of a running one: runc's messages") {
  Bundle b("pau");
  b.set_command("while true; do sleep 0.2; done");
  start_running(b);
  auto r = b.keel({"resume", b.id()});
  CHECK(r.exit_code == 1);
  CHECK(contains(r.err, "container not paused"));
  REQUIRE(b.keel({"pause", b.id()}).exit_code == 0);
  auto p = b.keel({"pause", b.id()});
  CHECK(p.exit_code == 1);
  CHECK(contains(p.err, "container not running"));
  CHECK(b.keel({"resume", b.id()}).exit_code == 0);
}

TEST_CASE("pause on a stopped container: container not running") {
  Bundle b("pau");
  b.set_command("true");
  run_to_stopped(b);
  auto p = b.keel({"pause", b.id()});
  CHECK(p.exit_code == 1);
  CHECK(contains(p.err, "container not running"));
}

// A v1-frozen init never acts on SIGKILL until thawed: kill thaws it after the signal, as runc.
TEST_CASE("kill KILL on a paused container stops it") {
  Bundle b("pau");
  std::string out;
  start_counter(b, out);
  REQUIRE(b.keel({"pause", b.id()}).exit_code == 0);
  pid_t pid = b.pid();
  auto k = b.kill("KILL");
  CHECK_MESSAGE(k.exit_code == 0, k.err);
  CHECK(eventually([&] { return !process_exists(pid); }));
  CHECK(b.wait_status("stopped"));
  CHECK(b.del().exit_code == 0);
}

TEST_CASE("kill --all KILL on a paused container stops it") {
  Bundle b("pau");
  std::string out;
  start_counter(b, out);
  REQUIRE(b.keel({"pause", b.id()}).exit_code == 0);
  pid_t pid = b.pid();
  auto k = b.kill("KILL", true);
  CHECK_MESSAGE(k.exit_code == 0, k.err);
  CHECK(eventually([&] { return !process_exists(pid); }));
  CHECK(b.wait_status("stopped"));
}

TEST_CASE("delete --force on a paused container removes it and its cgroup") {
  Bundle b("pau");
  std::string out;
  start_counter(b, out);
  REQUIRE(b.keel({"pause", b.id()}).exit_code == 0);
  pid_t pid = b.pid();
  auto d = b.del(true);
  CHECK_MESSAGE(d.exit_code == 0, d.err);
  CHECK_FALSE(process_exists(pid));
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
}
