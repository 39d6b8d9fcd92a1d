// What the container sees of its namespaces, identity and mounts.
#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "harness.hpp"

using namespace keel::test;

namespace {
// Runs `shell` in a fresh container (foreground run) and returns its stdout.
std::string run_in_container(Bundle& b, const std::string& shell) {
  b.set_command(shell);
  auto r = b.run();
  INFO("stderr: " << r.err);
  CHECK(r.exit_code == 0);
  return r.out;
}

std::string host_ns(const std::string& type) {
  return std::filesystem::read_symlink("/proc/self/ns/" + type).string();
}
}  // namespace

TEST_CASE("hostname inside is the spec's") {
  Bundle b;
  b.set("/hostname", "\"keel-box\"");
  CHECK(run_in_container(b, "hostname") == "keel-box\n");
}

TEST_CASE("pid 1 inside is the container process") {
  Bundle b;
  CHECK(run_in_container(b, "echo $$; cat /proc/1/comm; true") == "1\nsh\n");
}

TEST_CASE("uid and gid inside are process.user's") {
  Bundle b;
  b.set("/process/user", R"({"uid": 1234, "gid": 5678})");
  CHECK(run_in_container(b, "id -u; id -g") == "1234\n5678\n");
}

TEST_CASE("new namespaces differ from the host's") {
  Bundle b;
  auto out =
      run_in_container(b, "for n in pid net ipc uts mnt; do readlink /proc/self/ns/$n; done");
  for (const char* t : {"pid", "net", "ipc", "uts", "mnt"})
    CHECK_MESSAGE(out.find(host_ns(t)) == std::string::npos, std::string(t));
  CHECK(std::count(out.begin(), out.end(), '\n') == 5);
}

TEST_CASE("a namespace not listed is shared with the host") {
  Bundle b;
  b.set("/linux/namespaces", R"([{"type":"pid"},{"type":"mount"}])");
  b.remove("/hostname");
  auto out = run_in_container(b, "readlink /proc/self/ns/net; readlink /proc/self/ns/uts");
  CHECK(out == host_ns("net") + "\n" + host_ns("uts") + "\n");
}

TEST_CASE("joining a network namespace by path shows only its interfaces") {
  std::string name = unique_id("keel-test-ns");
  auto add = run_program({"/sbin/ip", "netns", "add", name});
  REQUIRE_MESSAGE(add.exit_code == 0, add.err);
  struct NetnsGuard {
    std::string name;
    ~NetnsGuard() { run_program({"/sbin/ip", "netns", "delete", name}); }
  } guard{name};
  Bundle b;
  b.set("/linux/namespaces",
        R"([{"type":"pid"},{"type":"mount"},{"type":"network","path":"/run/netns/)" + name +
            R"("}])");
  b.remove("/hostname");
  auto out = run_in_container(b, "readlink /proc/self/ns/net; ls /sys/class/net");
  std::string want_ns = std::filesystem::read_symlink("/proc/self/ns/net").string();
  CHECK(out.find(want_ns) == std::string::npos);
  CHECK(out.find("lo\n") != std::string::npos);
  CHECK(out.find("eth") == std::string::npos);
  // The joined namespace is the one ip created.
  auto inode = run_program({"/usr/bin/stat", "-L", "-c", "%i", "/run/netns/" + name});
  CHECK(out.find("net:[" + inode.out.substr(0, inode.out.size() - 1) + "]") != std::string::npos);
}

TEST_CASE("mount flags of spec mounts are visible in /proc/self/mountinfo") {
  Bundle b;
  b.append("/mounts", R"({"destination":"/data","type":"tmpfs","source":"tmpfs",
                          "options":["nosuid","nodev","noexec","ro"]})");
  auto out = run_in_container(b, "grep ' /data ' /proc/self/mountinfo");
  CHECK(out.find(" ro,") != std::string::npos);
  CHECK(out.find("nosuid") != std::string::npos);
  CHECK(out.find("nodev") != std::string::npos);
  CHECK(out.find("noexec") != std::string::npos);
}

TEST_CASE("a user namespace maps the container's root to the host id") {
  Bundle b;
  b.append("/linux/namespaces", R"({"type":"user"})");
  b.set("/linux/uidMappings", R"([{"containerID":0,"hostID":100000,"size":65536}])");
  b.set("/linux/gidMappings", R"([{"containerID":0,"hostID":100000,"size":65536}])");
  // sysfs cannot be mounted from a user namespace without a netns it owns: keep it simple.
  auto out = run_in_container(b, "id -u; cat /proc/self/uid_map");
  CHECK(out.find("0\n") == 0);
  CHECK(out.find("100000") != std::string::npos);
}

TEST_CASE("a time namespace applies the spec's offsets") {
  Bundle b;
  b.append("/linux/namespaces", R"({"type":"time"})");
  b.set("/linux/timeOffsets", R"({"boottime":{"secs":86400,"nanosecs":0}})");
  auto out = run_in_container(b, "cat /proc/self/timens_offsets");
  CHECK(out.find("86400") != std::string::npos);
}
