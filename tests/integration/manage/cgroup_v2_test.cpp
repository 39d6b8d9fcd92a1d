// What only pure cgroup v2 has, on real containers (these run in the VM lane; on this hybrid
// development host they skip with a message): the v2 files written from the spec,
// cgroup.kill, rsvd hugetlb limits, and a proof that the memory.max check can fail. The
// device test runs on both layouts (eBPF program on v2, the devices cgroup on v1).
#include <doctest/doctest.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>

#include "harness.hpp"
#include "manage_util.hpp"

using namespace keel::test;

namespace {

const std::string kSleeper = "while true; do sleep 0.2; done";

// Skips the calling test (with the reason) unless /sys/fs/cgroup is pure cgroup v2.
#define REQUIRE_V2_HOST_OR_SKIP(what)                   \
  do {                                                  \
    if (!cgroup_v2_host()) {                            \
      MESSAGE("skipped: needs pure cgroup v2 for " what \
              " (this host has v1 or hybrid "           \
              "cgroups; the VM lane runs it)");         \
      return;                                           \
    }                                                   \
  } while (0)

// IN_MODIFY on one file: every successful write(2) to it, on cgroupfs as anywhere
// (vfs_write calls fsnotify_modify), so a test can tell that keel wrote cgroup.kill.
class WriteWatch {
 public:
  explicit WriteWatch(const std::string& path)
      : fd_(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)),
        wd_(fd_ < 0 ? -1 : ::inotify_add_watch(fd_, path.c_str(), IN_MODIFY)) {}
  WriteWatch(const WriteWatch&) = delete;
  WriteWatch& operator=(const WriteWatch&) = delete;
  ~WriteWatch() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool watching() const { return wd_ >= 0; }
  // True when a write happened since the watch began (events are queued until read).
  bool written() const {
    alignas(inotify_event) char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) return false;
      for (char* p = buf; p < buf + n;) {
        auto* e = reinterpret_cast<inotify_event*>(p);
        if (e->wd == wd_ && (e->mask & IN_MODIFY)) return true;
        p += sizeof(inotify_event) + e->len;
      }
    }
  }

 private:
  int fd_;
  int wd_;
};

std::vector<pid_t> pids_in(const std::string& cgroup_dir_path) {
  std::vector<pid_t> out;
  std::istringstream in(read_file(cgroup_dir_path + "/cgroup.procs"));
  for (pid_t pid; in >> pid;) out.push_back(pid);
  return out;
}

bool any_alive(const std::vector<pid_t>& pids) {
  for (pid_t pid : pids)
    if (process_exists(pid)) return true;
  return false;
}

// The memory.max check the v2 tests make: the limit from the spec, as the kernel reports it.
bool memory_max_is(const Bundle& b, const std::string& want) {
  return cgroup_value(b, "memory", "memory.max") == want;
}

// Copies `from` to `to` with every NUL-terminated "memory.max" replaced by "memory.low" (same
// length, so the ELF stays valid); returns how many it replaced. "memory.max_usage_in_bytes"
// and the like are left alone (no NUL after "max").
int copy_with_memory_max_as_low(const std::string& from, const std::string& to) {
  std::ifstream in(from, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string needle("memory.max\0", 11), patch("memory.low\0", 11);
  int replaced = 0;
  for (std::size_t at = bytes.find(needle); at != std::string::npos;
       at = bytes.find(needle, at + needle.size())) {
    bytes.replace(at, needle.size(), patch);
    ++replaced;
  }
  write_file(to, bytes, 0644);  // keel refuses plugins writable by group or others
  return replaced;
}

}  // namespace

TEST_CASE("pure v2: memory.max, memory.low, cpu.weight, cpu.max and pids.max come from the spec") {
  REQUIRE_V2_HOST_OR_SKIP("memory.max, cpu.max and cpu.weight");
  Bundle b("v2");
  b.set_command(kSleeper);
  b.set("/linux/resources/memory", R"({"limit":67108864,"reservation":33554432})");
  b.set("/linux/resources/cpu", R"({"shares":512,"quota":25000,"period":100000})");
  b.set("/linux/resources/pids", R"({"limit":50})");
  start_running(b);
  CHECK(memory_max_is(b, "67108864"));
  CHECK(cgroup_value(b, "memory", "memory.low") == "33554432");
  CHECK(cgroup_value(b, "cpu", "cpu.weight") == "20");  // runc's conversion of 512 shares
  CHECK(cgroup_value(b, "cpu", "cpu.max") == "25000 100000");
  CHECK(cgroup_value(b, "pids", "pids.max") == "50");
  // The init was cloned into that cgroup (CLONE_INTO_CGROUP), the only one on v2.
  CHECK(read_file("/proc/" + std::to_string(b.pid()) + "/cgroup") ==
        "0::" + b.cgroup_path() + "\n");
}

TEST_CASE("pure v2: unified keys, memory.swap.max and cpuset files come from the spec") {
  REQUIRE_V2_HOST_OR_SKIP("linux.resources.unified and memory.swap.max");
  Bundle b("v2u");
  b.set_command(kSleeper);
  b.set("/linux/resources/unified", R"({"memory.high":"50331648","pids.max":"33"})");
  b.set("/linux/resources/memory", R"({"limit":67108864,"swap":100663296})");
  b.set("/linux/resources/cpu", R"({"cpus":"0","mems":"0"})");
  start_running(b);
  CHECK(cgroup_value(b, "memory", "memory.high") == "50331648");
  CHECK(cgroup_value(b, "pids", "pids.max") == "33");
  CHECK(memory_max_is(b, "67108864"));
  if (path_exists(cgroup_dir("memory", b.cgroup_path()) + "/memory.swap.max"))
    CHECK(cgroup_value(b, "memory", "memory.swap.max") == "33554432");  // swap - limit on v2
  else
    MESSAGE("skipped the memory.swap.max check: no swap accounting in this kernel");
  CHECK(cgroup_value(b, "cpuset", "cpuset.cpus") == "0");
  CHECK(cgroup_value(b, "cpuset", "cpuset.mems") == "0");
}

TEST_CASE("with a cgroup namespace the container sees its own cgroup as /") {
  Bundle b("cgns");
  b.append("/linux/namespaces", R"({"type":"cgroup"})");
  b.set_command("cat /proc/self/cgroup");
  auto r = b.run({}, with_timeout(60s));
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  REQUIRE_FALSE(r.out.empty());
  if (cgroup_v2_host()) {
    // The init is cloned into its cgroup and unshares its cgroup namespace there.
    CHECK(r.out == "0::/\n");
    return;
  }
  // v1 and hybrid: the runtime moves the init into its cgroups before "go", and only then does
  // the init unshare its cgroup namespace (as runc), so every hierarchy shows "/".
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    CAPTURE(line);
    CHECK(line.ends_with(":/"));
  }
}

TEST_CASE("a device the spec does not allow cannot be opened, an allowed one can") {
  // /dev/kmsg (c 1:11) is made in the container but is not among the devices keel allows by
  // default; the template denies everything else. Opening it write-only needs no privilege, so
  // only the device filter (the eBPF program on v2, devices.deny on v1) can refuse it.
  auto make = [](Bundle& b, bool allow) {
    b.set_command("echo keel-device-test > /dev/kmsg && echo opened");
    b.set(
        "/linux/devices",
        R"([{"path":"/dev/kmsg","type":"c","major":1,"minor":11,"fileMode":438,"uid":0,"gid":0}])");
    if (allow)
      b.append("/linux/resources/devices",
               R"({"allow":true,"type":"c","major":1,"minor":11,"access":"w"})");
  };
  Bundle denied("dev");
  make(denied, false);
  auto d = denied.run({}, with_timeout(60s));
  CHECK(d.exit_code != 0);
  std::string output = d.out + d.err;
  CHECK_MESSAGE(contains(output, "Operation not permitted"), output);
  CHECK_FALSE(contains(d.out, "opened"));

  Bundle allowed("dev");
  make(allowed, true);
  auto a = allowed.run({}, with_timeout(60s));
  CHECK_MESSAGE(a.exit_code == 0, a.err);
  CHECK(a.out == "opened\n");
}

TEST_CASE("kill --all KILL writes cgroup.kill: every process dies, sub-cgroups too") {
  REQUIRE_V2_HOST_OR_SKIP("cgroup.kill");
  Bundle b("v2k");
  b.set_command("sleep 300 & sleep 300 & wait");
  start_running(b);
  std::string dir = cgroup_dir("unified", b.cgroup_path());
  REQUIRE_MESSAGE(path_exists(dir + "/cgroup.kill"), "the kernel has no cgroup.kill (< 5.14)");
  // A process in a sub-cgroup, as `exec --cgroup` puts it.
  REQUIRE(::mkdir((dir + "/sub").c_str(), 0755) == 0);
  auto e =
      b.keel({"exec", "--cgroup", "sub", "--detach", b.id(), "sleep", "300"}, with_timeout(30s));
  REQUIRE_MESSAGE(e.exit_code == 0, e.err);
  REQUIRE(
      eventually([&] { return pids_in(dir).size() == 3 && pids_in(dir + "/sub").size() == 1; }));
  std::vector<pid_t> all = pids_in(dir);
  all.push_back(pids_in(dir + "/sub").front());

  WriteWatch watch(dir + "/cgroup.kill");
  REQUIRE(watch.watching());
  // The control: cgroup.kill only sends SIGKILL, so another signal goes to each pid and the
  // watch must stay quiet (it is not true whatever happens).
  auto cont = b.kill("CONT", true);
  CHECK_MESSAGE(cont.exit_code == 0, cont.err);
  CHECK_FALSE(watch.written());
  auto k = b.kill("KILL", true);
  CHECK_MESSAGE(k.exit_code == 0, k.err);
  CHECK(watch.written());
  CHECK(eventually([&] { return !any_alive(all); }));
  CHECK(b.wait_status("stopped"));
  auto d = b.del();
  CHECK_MESSAGE(d.exit_code == 0, d.err);
  CHECK(keel_test_cgroups(b.id()).empty());
}

TEST_CASE("delete --force on a running container writes cgroup.kill and leaves no cgroup") {
  REQUIRE_V2_HOST_OR_SKIP("cgroup.kill");
  Bundle b("v2d");
  b.set_command("sleep 300 & sleep 300 & wait");
  start_running(b);
  std::string dir = cgroup_dir("unified", b.cgroup_path());
  REQUIRE(eventually([&] { return pids_in(dir).size() == 3; }));
  std::vector<pid_t> all = pids_in(dir);
  WriteWatch watch(dir + "/cgroup.kill");
  REQUIRE(watch.watching());
  auto d = b.del(true);
  CHECK_MESSAGE(d.exit_code == 0, d.err);
  CHECK(watch.written());
  CHECK_FALSE(any_alive(all));
  CHECK_FALSE(path_exists(dir));
  CHECK(keel_test_cgroups(b.id()).empty());
}

TEST_CASE("hugepageLimits set hugetlb.2MB.max and hugetlb.2MB.rsvd.max on cgroup2") {
  // The cgroup2 hierarchy that has hugetlb: the root on pure v2, `unified` on a hybrid host.
  std::string root = cgroup_v2_host() ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
  if (!contains(read_file(root + "/cgroup.controllers"), "hugetlb") ||
      !path_exists("/sys/kernel/mm/hugepages/hugepages-2048kB")) {
    MESSAGE("skipped: no hugetlb controller on cgroup2 or no 2MB huge pages on this host");
    return;
  }
  Bundle b("v2h");
  b.set_command(kSleeper);
  b.set("/linux/resources/hugepageLimits", R"([{"pageSize":"2MB","limit":4194304}])");
  start_running(b);
  std::string dir = root + b.cgroup_path();
  CHECK(read_file(dir + "/hugetlb.2MB.max") == "4194304\n");
  if (!path_exists(dir + "/hugetlb.2MB.rsvd.max")) {
    MESSAGE("skipped the rsvd check: the kernel has no hugetlb rsvd files (< 5.7)");
    return;
  }
  CHECK(read_file(dir + "/hugetlb.2MB.rsvd.max") == "4194304\n");
}

// The proof that the memory.max checks above can fail: the same container under a cgroupfs
// plugin binary-patched to write memory.low where it should write memory.max.
TEST_CASE("a cgroupfs plugin patched to write memory.low fails the memory.max check") {
  REQUIRE_V2_HOST_OR_SKIP("memory.max");
  TempDir broken("keel-broken-plugin");
  std::string plugin = broken.path() + "/libkeel-cgroupfs.so";
  REQUIRE(copy_with_memory_max_as_low(std::string(KEEL_PLUGIN_DIR) + "/libkeel-cgroupfs.so",
                                      plugin) >= 1);
  std::string config = broken.path() + "/keel.json";
  write_file(config, R"({"plugins":{"cgroupfs":{"path":")" + plugin + R"("}}})");
  RunOptions with_broken;
  with_broken.extra_env = {"KEEL_CONFIG=" + config};

  Bundle b("v2p");
  b.set_command(kSleeper);
  b.set("/linux/resources/memory", R"({"limit":67108864})");
  auto c = b.keel({"create", "--bundle", b.dir(), b.id()}, with_broken);
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  auto plugins = b.keel({"plugins"}, with_broken);
  CHECK_MESSAGE(contains(plugins.out, plugin), plugins.out);  // the patched copy was the one used
  CHECK_FALSE(memory_max_is(b, "67108864"));
  CHECK(cgroup_value(b, "memory", "memory.max") == "max");
  CHECK(cgroup_value(b, "memory", "memory.low") == "67108864");

  // The same bundle under the real plugin passes the check.
  Bundle good("v2p");
  good.set_command(kSleeper);
  good.set("/linux/resources/memory", R"({"limit":67108864})");
  REQUIRE(good.create().exit_code == 0);
  CHECK(memory_max_is(good, "67108864"));
}
