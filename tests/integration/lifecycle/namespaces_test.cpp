// What the container sees of its namespaces, identity and mounts.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

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

namespace {
// The permission mask (hex, 5th field of /proc/keys) of the container's "_ses.<id>" keyring, as
// seen from inside the container.
unsigned long session_keyring_perm(Bundle& b) {
  b.set("/linux/maskedPaths", "[]");  // runc's template masks /proc/keys
  auto out = run_in_container(b, "cat /proc/keys");
  auto at = out.find("_ses." + b.id());
  REQUIRE_MESSAGE(at != std::string::npos, out);
  auto line_start = out.rfind('\n', at);
  std::istringstream line(out.substr(line_start == std::string::npos ? 0 : line_start + 1));
  std::string serial, flags, usage, timeout, perm;
  line >> serial >> flags >> usage >> timeout >> perm;
  return std::stoul(perm, nullptr, 16);
}
}  // namespace

TEST_CASE("the session keyring is the container's own and searchable by its owner, like runc") {
  Bundle b;
  CHECK((session_keyring_perm(b) & 0x80000) != 0);  // KEY_USR_SEARCH
}

TEST_CASE("with a user namespace the session keyring is searchable by other, like runc") {
  Bundle b;
  b.append("/linux/namespaces", R"({"type":"user"})");
  b.set("/linux/uidMappings", R"([{"containerID":0,"hostID":100000,"size":65536}])");
  b.set("/linux/gidMappings", R"([{"containerID":0,"hostID":100000,"size":65536}])");
  CHECK((session_keyring_perm(b) & 0x8) != 0);  // KEY_OTH_SEARCH
}

namespace {
// Inode of the user namespace that owns /proc/<pid>/ns/<type> (ioctl NS_GET_USERNS).
ino_t owner_userns_of(pid_t pid, const std::string& type) {
  std::string path = "/proc/" + std::to_string(pid) + "/ns/" + type;
  int ns = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  REQUIRE_MESSAGE(ns >= 0, path);
  int owner = ::ioctl(ns, NS_GET_USERNS);
  ::close(ns);
  REQUIRE_MESSAGE(owner >= 0, "NS_GET_USERNS on " << path);
  struct stat sb {};
  ::fstat(owner, &sb);
  ::close(owner);
  return sb.st_ino;
}

ino_t userns_of(pid_t pid) {
  struct stat sb {};
  REQUIRE(::stat(("/proc/" + std::to_string(pid) + "/ns/user").c_str(), &sb) == 0);
  return sb.st_ino;
}

void use_new_user_namespace(Bundle& b) {
  b.append("/linux/namespaces", R"({"type":"user"})");
  b.set("/linux/uidMappings", R"([{"containerID":0,"hostID":100000,"size":65536}])");
  b.set("/linux/gidMappings", R"([{"containerID":0,"hostID":100000,"size":65536}])");
}
}  // namespace

TEST_CASE("a time namespace made with a new user namespace is owned by it, offsets applied") {
  Bundle b;
  use_new_user_namespace(b);
  b.append("/linux/namespaces", R"({"type":"time"})");
  b.set("/linux/timeOffsets", R"({"boottime":{"secs":86400,"nanosecs":0}})");
  b.set_command("cat /proc/self/timens_offsets; exec sleep 30");
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  pid_t pid = b.pid();
  CHECK(owner_userns_of(pid, "time") == userns_of(pid));
  REQUIRE(b.start().exit_code == 0);
  std::string out;
  for (int i = 0; i < 100 && out.find("86400") == std::string::npos; ++i) {
    ::usleep(20000);
    out = c.read_out();
  }
  CHECK(out.find("boottime") != std::string::npos);
  CHECK(out.find("86400") != std::string::npos);
}

TEST_CASE("a pid namespace made with a joined user namespace is owned by it; the init is pid 1") {
  Bundle holder("uh");  // owns the user namespace the second container joins
  use_new_user_namespace(holder);
  holder.set_command("exec sleep 30");
  REQUIRE(holder.create().exit_code == 0);
  pid_t holder_pid = holder.pid();

  Bundle b;
  b.append("/linux/namespaces",
           R"({"type":"user","path":"/proc/)" + std::to_string(holder_pid) + R"(/ns/user"})");
  // The joined namespace's ids: sysfs needs a netns owned by it, which the unshare gives.
  b.set_command("echo $$; exec sleep 30");
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  pid_t pid = b.pid();
  CHECK(userns_of(pid) == userns_of(holder_pid));
  CHECK(owner_userns_of(pid, "pid") == userns_of(holder_pid));
  CHECK(owner_userns_of(pid, "mnt") == userns_of(holder_pid));
  CHECK(owner_userns_of(pid, "net") == userns_of(holder_pid));
  REQUIRE(b.start().exit_code == 0);
  std::string out;
  for (int i = 0; i < 100 && out.empty(); ++i) {
    ::usleep(20000);
    out = c.read_out();
  }
  CHECK(out == "1\n");
}
