// maskedPaths through symlinks, a fake /dev/null (CVE-2025-31133), a swapped /dev/console
// target (CVE-2025-52565), and sysctl / oom_score_adj writes redirected through a bind mount
// over procfs (CVE-2025-52881).
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "harness.hpp"
#include "security_util.hpp"

using namespace keel::test;
using namespace keel::test::security;
namespace fs = std::filesystem;

TEST_CASE("a masked path that is a symlink to a host file masks the rootfs's file only") {
  Bundle b;
  std::string host_file = host_path("mask");
  write_file(host_file, "host-secret\n");
  // The same absolute path inside the rootfs holds the file the mask must cover.
  fs::create_directories(b.rootfs() + host_file.substr(0, host_file.rfind('/')));
  write_file(b.rootfs() + host_file, "inside\n");
  fs::create_symlink(host_file, b.rootfs() + "/evil");
  b.append("/linux/maskedPaths", "\"/evil\"");
  b.set_command("cat /evil; echo; cat " + host_file + "; echo end");
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "\nend\n");  // both names reach the masked (empty) rootfs file
  CHECK(read_file(host_file) == "host-secret\n");
  CHECK(host_mounts_mentioning(host_file).empty());
  fs::remove(host_file);
}

TEST_CASE("CVE-2025-31133: a rootfs /dev/null that is not the null device is never used to mask") {
  struct Fake {
    const char* name;
    void (*make)(const std::string& dev_null);
  };
  const Fake fakes[] = {
      {"regular file", [](const std::string& p) { write_file(p, "fake-null\n"); }},
      {"symlink to a procfs file",
       [](const std::string& p) { fs::create_symlink("/proc/sys/kernel/domainname", p); }},
      {"symlink to the host's sysrq-trigger",
       [](const std::string& p) {
         fs::create_symlink("../../../../../../../../proc/sysrq-trigger", p);
       }},
  };
  for (const auto& fake : fakes) {
    std::string name = fake.name;
    CAPTURE(name);
    Bundle b;
    use_rootfs_dev(b);
    fake.make(b.rootfs() + "/dev/null");
    b.set("/linux/maskedPaths", R"(["/proc/kcore", "/proc/timer_list"])");
    // If the fake were bound over /proc/timer_list, reading it would show the fake's content and
    // writing it would reach the fake's target.
    b.set_command("head -c 40 /proc/timer_list; echo; stat -c '%F %t:%T' /dev/null");
    auto r = b.run();
    INFO(r.out << r.err);
    if (r.exit_code == 0) {
      CHECK(r.out.find("fake-null") == std::string::npos);
      CHECK(r.out.find("character special file 1:3") != std::string::npos);
      CHECK(r.out.starts_with("\n"));  // masked: empty
    } else {
      CHECK(r.err.find("null") != std::string::npos);
    }
  }
}

TEST_CASE(
    "CVE-2025-31133: /dev/null swapped after the devices were made (a racing container "
    "process, played by a createContainer hook) is refused before it covers anything") {
  for (const std::string swap : {"echo fake-null > ", "ln -s /proc/sys/kernel/domainname "}) {
    CAPTURE(swap);
    Bundle b;
    std::string dev_null = b.rootfs() + "/dev/null";
    // createContainer hooks run in the container's mount namespace after the devices are
    // created and before pivot and masking: exactly the window the CVE's race used.
    b.set("/hooks/createContainer", R"([{"path":"/bin/busybox","args":["sh","-c","rm -f )" +
                                        dev_null + " && " + swap + dev_null + R"("]}])");
    b.set_command("head -c 40 /proc/timer_list");
    auto r = b.run();
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.empty());  // nothing (fake file, procfs file) was bound over the masked path
    // Refused by the /dev/null verification (stdio reopen after pivot, then again at masking).
    CHECK(r.err.find("dev/null") != std::string::npos);
  }
}

TEST_CASE("CVE-2025-52565: a /dev/console symlinked to a host path gets no file and no bind") {
  for (bool absolute : {true, false}) {
    CAPTURE(absolute);
    Bundle b;
    std::string host_console = host_path(absolute ? "console-abs" : "console-rel");
    std::string host_existing = host_console + "-existing";
    write_file(host_existing, "host-file\n");
    use_rootfs_dev(b, /*keep_devpts=*/true);
    fs::create_directories(b.rootfs() + "/dev/pts");
    std::string up = "../../../../../../../../../../../..";
    for (const std::string& target : {host_console, host_existing}) {
      CAPTURE(target);
      fs::remove(b.rootfs() + "/dev/console");
      fs::create_symlink(absolute ? target : up + target, b.rootfs() + "/dev/console");
      b.set("/process/terminal", "true");
      b.set_command("true");
      std::string sock = b.dir() + "/console.sock";
      fs::remove(sock);
      int listener = listen_at(sock);
      auto r = b.create({"--console-socket", sock});
      INFO(r.err);
      b.del(true);
      ::close(listener);
      CHECK_FALSE(path_exists(host_console));
      CHECK(read_file(host_existing) == "host-file\n");
      CHECK(host_mounts_mentioning(host_path("console")).empty());
    }
    fs::remove(host_existing);
  }
}

TEST_CASE(
    "CVE-2025-52881: a sysctl write redirected by a bind of another procfs file over its "
    "/proc/sys entry never reaches the other file") {
  // /proc/sys/kernel/ns_last_pid is one of the few mount targets allowed inside /proc (CRIU);
  // the sysctl itself must also be refused (not namespaced), so two rules stand in the way.
  // The bind source is the host's procfs kernel.hostname (UTS-namespaced, so harmless here): a
  // redirected kernel.ns_last_pid write would set the container's hostname.
  Bundle b;
  b.append("/mounts", R"({"destination":"/proc/sys/kernel/ns_last_pid","type":"bind",
      "source":"/proc/sys/kernel/hostname","options":["bind","rw"]})");
  b.set("/linux/sysctl", R"({"kernel.ns_last_pid":"redirected"})");
  b.set_command("hostname");
  auto r = b.run();
  INFO(r.out << r.err);
  CHECK(r.out.find("redirected") == std::string::npos);
  if (r.exit_code == 0) CHECK(r.out == "keel-test\n");
}

TEST_CASE(
    "CVE-2025-52881: a host file bound over a /proc/sys entry is never written by a "
    "sysctl") {
  for (const std::string dest : {"/proc/sys/kernel/ns_last_pid", "/proc/sys/kernel/domainname"}) {
    CAPTURE(dest);
    Bundle b;
    std::string host_file = b.dir() + "/fake-sysctl";
    write_file(host_file, "host-original\n");
    b.append("/mounts", R"({"destination":")" + dest + R"(","type":"bind","source":")" + host_file +
                            R"(","options":["bind","rw"]})");
    std::string key = dest.substr(10);
    std::replace(key.begin(), key.end(), '/', '.');
    b.set("/linux/sysctl", R"({")" + key + R"(":"redirected"})");
    auto r = b.run();
    INFO(r.err);
    CHECK(read_file(host_file) == "host-original\n");
    CHECK(r.exit_code == 1);
    CHECK_FALSE(r.err.empty());  // refused: by the /proc mount rule or the sysctl rule
  }
}

TEST_CASE("CVE-2025-52881: a host file bound over /proc/self/oom_score_adj is never written") {
  Bundle b;
  std::string host_file = b.dir() + "/fake-oom";
  write_file(host_file, "host-original\n");
  b.append("/mounts", R"({"destination":"/proc/self/oom_score_adj","type":"bind","source":")" +
                          host_file + R"(","options":["bind","rw"]})");
  b.set("/process/oomScoreAdj", "500");
  b.set_command("cat /proc/1/oom_score_adj");
  auto r = b.run();
  INFO(r.out << r.err);
  CHECK(read_file(host_file) == "host-original\n");
}
