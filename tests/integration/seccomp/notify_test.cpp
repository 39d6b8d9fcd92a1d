// SCMP_ACT_NOTIFY: the runtime hands the listener fd and runc's container process state to the
// seccomp agent at listenerPath; the agent's answers are what the container's syscalls return.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <cerrno>

#include "harness.hpp"
#include "seccomp_fixture.hpp"

using namespace keel::test;

namespace {

std::string notify_profile(const std::string& listener_path, const std::string& metadata) {
  return R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],)"
         R"("listenerPath":")" +
         listener_path + R"(","listenerMetadata":")" + metadata +
         R"(","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_NOTIFY"}]})";
}

bool is_mkdir(const seccomp_notif& n) {
  return n.data.nr == syscall_number("mkdir") || n.data.nr == syscall_number("mkdirat");
}

// Checks runc's specs.ContainerProcessState; returns the "pid" field.
int check_process_state(const std::string& json, const Bundle& b, const std::string& metadata) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  REQUIRE_MESSAGE(d.IsObject(), json);
  CHECK(std::string(d["ociVersion"].GetString()) == "1.0.2");
  REQUIRE(d["fds"].IsArray());
  REQUIRE(d["fds"].Size() == 1);
  CHECK(std::string(d["fds"][0].GetString()) == "seccompFd");
  REQUIRE(d.HasMember("pid"));
  CHECK(d["pid"].GetInt() > 0);
  REQUIRE(d.HasMember("metadata"));
  CHECK(std::string(d["metadata"].GetString()) == metadata);
  const auto& st = d["state"];
  REQUIRE(st.IsObject());
  CHECK(std::string(st["ociVersion"].GetString()) == "1.0.2");
  CHECK(std::string(st["id"].GetString()) == b.id());
  CHECK(std::string(st["status"].GetString()) == "creating");
  CHECK(std::string(st["bundle"].GetString()) == b.dir());
  return d["pid"].GetInt();
}

}  // namespace

TEST_CASE("NOTIFY with run: the agent gets the listener and state, its EROFS reaches mkdir") {
  SeccompAgent agent([](const seccomp_notif&) { return reply(EROFS); });
  Bundle b;
  add_applets(b, {"mkdir"});
  b.set("/linux/seccomp", notify_profile(agent.socket_path(), "meta-run"));
  b.set_args({"mkdir", "/tmp/x"});  // the init itself makes the call
  auto r = b.run();
  CHECK(r.exit_code == 1);
  CHECK(r.err == "mkdir: can't create directory '/tmp/x': Read-only file system\n");
  agent.stop();
  CHECK(agent.fds_received() == 1);
  int pid = check_process_state(agent.state_json(), b, "meta-run");
  auto notes = agent.notifications();
  REQUIRE(notes.size() == 1);
  CHECK(is_mkdir(notes[0]));
  CHECK(int(notes[0].pid) == pid);  // the agent's pid namespace: the host pid of the init
  CHECK_FALSE(path_exists(b.rootfs() + "/tmp/x"));
}

TEST_CASE("NOTIFY with create + start: the agent is called during create and fakes success") {
  SeccompAgent agent([](const seccomp_notif& n) { return reply(is_mkdir(n) ? 0 : ENOSYS); });
  Bundle b;
  add_applets(b, {"mkdir"});
  b.set("/linux/seccomp", notify_profile(agent.socket_path(), "meta-create"));
  b.set_command("mkdir /tmp/x && echo made; test -d /tmp/x && echo present || echo absent");
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  // The listener was handed over before create returned.
  CHECK(agent.fds_received() == 1);
  int pid = check_process_state(agent.state_json(), b, "meta-create");
  CHECK(pid == b.pid());
  CHECK(agent.notifications().empty());  // nothing ran yet
  REQUIRE(b.start().exit_code == 0);
  REQUIRE(b.wait_status("stopped"));
  CHECK(c.read_out() == "made\nabsent\n");
  agent.stop();
  auto notes = agent.notifications();
  REQUIRE(notes.size() == 1);
  CHECK(is_mkdir(notes[0]));
  CHECK(int(notes[0].pid) != pid);  // the shell forked mkdir
}

TEST_CASE("NOTIFY without an agent at listenerPath fails create and leaves nothing") {
  TempDir nowhere("keel-noagent");
  Bundle b;
  b.set("/linux/seccomp", notify_profile(nowhere.path() + "/agent.sock", ""));
  auto c = b.create();
  CHECK(c.exit_code == 1);
  CHECK(c.err.find("agent.sock") != std::string::npos);
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
}
