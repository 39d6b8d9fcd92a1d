// A create that fails at any step leaves nothing: no state dir, no cgroup, no process, no mount.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <vector>

#include "harness.hpp"

using namespace keel::test;

namespace {

// Processes whose command line mentions `text` (the init keeps keel's argv until it execs).
std::vector<pid_t> pids_mentioning(const std::string& text) {
  std::vector<pid_t> pids;
  std::error_code ec;
  for (auto& e : std::filesystem::directory_iterator("/proc", ec)) {
    std::string name = e.path().filename();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::string cmd = read_file(e.path().string() + "/cmdline");
    for (auto& c : cmd)
      if (c == '\0') c = ' ';
    if (cmd.find(text) != std::string::npos && process_exists(std::stoi(name)))
      pids.push_back(std::stoi(name));
  }
  return pids;
}

int processes_mentioning(const std::string& text) {
  return static_cast<int>(pids_mentioning(text).size());
}

void check_failed_create_left_nothing(Bundle& b, const std::string& expected_error) {
  int mounts_before = mount_count();
  auto r = b.create();
  CHECK(r.exit_code == 1);
  CHECK_MESSAGE(r.err.find(expected_error) != std::string::npos, r.err);
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
  CHECK(processes_mentioning(b.dir()) == 0);
  CHECK(mount_count() == mounts_before);
}

}  // namespace

TEST_CASE("create with a missing args[0] fails at create with runc's wording") {
  Bundle b;
  b.set_args({"no-such-binary"});
  // The text log quotes the message, so match its pieces.
  check_failed_create_left_nothing(b, "executable file not found in $PATH");
  CHECK(b.create().err.find("no-such-binary") != std::string::npos);
}

TEST_CASE("create with a missing absolute args[0] names the path") {
  Bundle b;
  b.set_args({"/bin/nope"});
  check_failed_create_left_nothing(b, "/bin/nope");
}

TEST_CASE("create with a bind mount of a missing source fails and cleans up") {
  Bundle b;
  b.append("/mounts", R"({"destination":"/x","type":"bind","source":"/nonexistent/keel-src",
                          "options":["rbind"]})");
  check_failed_create_left_nothing(b, "/nonexistent/keel-src");
}

TEST_CASE("create with a failing prestart hook fails and cleans up") {
  Bundle b;
  b.set("/hooks", R"({"prestart":[{"path":"/bin/false","args":["false"]}]})");
  check_failed_create_left_nothing(b, "prestart");
}

TEST_CASE("create with a failing createRuntime hook fails and cleans up") {
  Bundle b;
  b.set("/hooks", R"({"createRuntime":[{"path":"/bin/sh","args":["sh","-c","exit 7"]}]})");
  check_failed_create_left_nothing(b, "exit status 7");
}

TEST_CASE("create with a cgroup value the kernel refuses fails and cleans up") {
  Bundle b;
  b.set("/linux/resources/cpu", R"({"cpus":"9999"})");
  check_failed_create_left_nothing(b, "cpuset");
}

TEST_CASE("create of an id that exists fails and leaves the first container alone") {
  Bundle b;
  REQUIRE(b.create().exit_code == 0);
  auto again = b.create();
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("exists") != std::string::npos);
  CHECK(b.status() == "created");
}

TEST_CASE("prestart hooks get the state JSON on stdin with status creating") {
  Bundle b;
  std::string got = b.dir() + "/hook-stdin";
  b.set("/hooks", R"({"prestart":[{"path":"/bin/sh","args":["sh","-c","cat > )" + got + R"("]}]})");
  REQUIRE(b.create().exit_code == 0);
  auto text = read_file(got);
  CHECK(text.find("\"status\":\"creating\"") != std::string::npos);
  CHECK(text.find("\"id\":\"" + b.id() + "\"") != std::string::npos);
  CHECK(text.find("\"pid\":" + std::to_string(b.pid())) != std::string::npos);
}

TEST_CASE("poststart and poststop hooks run at start and delete") {
  Bundle b;
  std::string log = b.dir() + "/hooks.log";
  b.set("/hooks", R"({"poststart":[{"path":"/bin/sh","args":["sh","-c","echo poststart >> )" + log +
                      R"("]}],"poststop":[{"path":"/bin/sh","args":["sh","-c","echo poststop >> )" +
                      log + R"("]}]})");
  b.set_command("sleep 30");
  REQUIRE(b.create().exit_code == 0);
  CHECK(read_file(log).empty());
  REQUIRE(b.start().exit_code == 0);
  CHECK(read_file(log) == "poststart\n");
  REQUIRE(b.del(true).exit_code == 0);
  CHECK(read_file(log) == "poststart\npoststop\n");
}

TEST_CASE("a failing poststart hook fails start") {
  Bundle b;
  b.set("/hooks", R"({"poststart":[{"path":"/bin/false","args":["false"]}]})");
  b.set_command("sleep 30");
  REQUIRE(b.create().exit_code == 0);
  auto s = b.start();
  CHECK(s.exit_code == 1);
  CHECK(s.err.find("poststart") != std::string::npos);
}

TEST_CASE("an SELinux label with no SELinux labeler installed fails closed at create") {
  Bundle b;
  b.set("/process/selinuxLabel", R"("system_u:system_r:container_t:s0:c1,c2")");
  auto r = b.create();
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("selinux") != std::string::npos);
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(keel_test_cgroups(b.id()).empty());
}

TEST_CASE("an AppArmor profile on a host without AppArmor is skipped, as runc does") {
  Bundle b;
  b.set("/process/apparmorProfile", R"("docker-default")");
  b.set_command("echo ran");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "ran\n");
}

TEST_CASE(
    "createContainer hooks run before pivot_root, startContainer hooks inside the container") {
  Bundle b;
  std::string host_mark = b.dir() + "/create-container-ran";
  b.set("/hooks",
        R"({"createContainer":[{"path":"/bin/sh","args":["sh","-c","cat > )" + host_mark + R"("]}],
      "startContainer":[{"path":"/bin/sh","args":["sh","-c","echo inside > /tmp/start-hook"]}]})");
  b.set_command("cat /tmp/start-hook");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "inside\n");
  CHECK(read_file(host_mark).find("\"status\":\"creating\"") != std::string::npos);
}

TEST_CASE("run --no-pivot runs the container with chroot instead of pivot_root") {
  Bundle b;
  b.set_command("echo no-pivot-ok");
  auto r = b.run({"--no-pivot"});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "no-pivot-ok\n");
}

TEST_CASE("a create killed midway is cleaned up by delete --force (no cgroup, dir or process)") {
  Bundle b;
  std::string mark = b.dir() + "/hook-started";
  b.set("/hooks", R"({"prestart":[{"path":"/bin/sh","args":["sh","-c","touch )" + mark +
                      R"(; sleep 30"]}]})");
  pid_t keel = ::fork();
  if (keel == 0) {
    int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, 0), ::dup2(devnull, 1), ::dup2(devnull, 2);
    ::execl(KEEL_BINARY, "keel", "--root", b.state_root().c_str(), "create", "--bundle",
            b.dir().c_str(), b.id().c_str(), nullptr);
    ::_exit(127);
  }
  for (int i = 0; i < 500 && !path_exists(mark); ++i) ::usleep(10000);
  REQUIRE(path_exists(mark));
  ::kill(keel, SIGKILL);
  ::waitpid(keel, nullptr, 0);
  CHECK_FALSE(keel_test_cgroups(b.id()).empty());  // what a killed create leaves
  auto d = b.del(true);
  CHECK_MESSAGE(d.exit_code == 0, d.err);
  CHECK(keel_test_cgroups(b.id()).empty());
  CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
  CHECK(processes_mentioning("create --bundle " + b.dir()) == 0);
  // The orphaned hook (sh -c "touch <mark>; sleep 30") outlives the killed create: end it (and
  // its sleep, through the shell's pid) by pid.
  for (pid_t p : pids_mentioning("touch " + mark)) {
    std::string children =
        read_file("/proc/" + std::to_string(p) + "/task/" + std::to_string(p) + "/children");
    ::kill(p, SIGKILL);
    if (!children.empty()) ::kill(std::stoi(children), SIGKILL);
  }
}
