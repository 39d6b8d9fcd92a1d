// The generated eBPF device program, loaded and attached by the real kernel: on this hybrid host
// the cgroup2 hierarchy at /sys/fs/cgroup/unified accepts BPF_CGROUP_DEVICE programs, so a
// process moved into a cgroup there is filtered by it on open(2).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <set>
#include <sstream>

#include "keel/cgroup/devices.hpp"
#include "keel/cgroup/fs.hpp"
#include "plugin_fixture.hpp"

using namespace keel::cgroup;

namespace {

// Exit code bits: which opens succeeded.
enum : int { kNullRead = 1, kNullWrite = 2, kNullReadWrite = 4, kZeroRead = 8 };

int probe() {
  auto opens = [](const char* path, int flags) {
    int fd = ::open(path, flags | O_CLOEXEC);
    if (fd < 0) return false;
    ::close(fd);
    return true;
  };
  int bits = 0;
  if (opens("/dev/null", O_RDONLY)) bits |= kNullRead;
  if (opens("/dev/null", O_WRONLY)) bits |= kNullWrite;
  if (opens("/dev/null", O_RDWR)) bits |= kNullReadWrite;
  if (opens("/dev/zero", O_RDONLY)) bits |= kZeroRead;
  return bits;
}

int run_probe_in(const std::string& dir) {
  Child child(probe);
  auto r = write_file(dir, "cgroup.procs", std::to_string(child.pid));
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  child.release();
  int status = child.wait();
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

// Compiles and attaches the rules, then reports which opens the kernel let through.
int opens_allowed_by(const std::string& dir, const std::vector<DeviceRule>& rules) {
  auto program = device_filter_program(rules);
  REQUIRE_MESSAGE(program, (program ? "" : program.error().message));
  auto attached = attach_device_filter(dir, *program);
  REQUIRE_MESSAGE(attached, (attached ? "" : attached.error().message));
  return run_probe_in(dir);
}

bool have_unified() {
  return fs::exists("/sys/fs/cgroup/unified/cgroup.procs");
}

const DeviceRule kDenyAll{false, 'a', -1, -1, "rwm"};
const DeviceRule kAllowAll{true, 'a', -1, -1, "rwm"};

}  // namespace

TEST_CASE("the eBPF device filter is accepted by the kernel and enforced, and updates replace it") {
  if (!have_unified()) return;
  TestCgroup cg;
  std::string dir = cg.dir("unified");
  REQUIRE(mkdir_p(dir, nullptr));
  // Deny all but runc's defaults: /dev/null (1:3) and /dev/zero (1:5) are both defaults,
  // so deny /dev/zero's rw after them (not m: the default "c *:* m" grants that, and taking
  // it away from one device would punch a hole in the wildcard, which runc refuses).
  auto rules = effective_device_rules({kDenyAll});
  rules.push_back(DeviceRule{false, 'c', 1, 5, "rw"});
  CHECK(opens_allowed_by(dir, rules) == (kNullRead | kNullWrite | kNullReadWrite));
  // The old program was detached, not stacked (stacked programs must all allow).
  CHECK(opens_allowed_by(dir, {kAllowAll}) ==
        (kNullRead | kNullWrite | kNullReadWrite | kZeroRead));
}

TEST_CASE("the kernel lets a read-write open through partial allow rules r and w of one device") {
  if (!have_unified()) return;
  TestCgroup cg;
  std::string dir = cg.dir("unified");
  REQUIRE(mkdir_p(dir, nullptr));
  DeviceRule null_r{true, 'c', 1, 3, "r"}, null_w{true, 'c', 1, 3, "w"};
  CHECK(opens_allowed_by(dir, {kDenyAll, null_r}) == kNullRead);
  CHECK(opens_allowed_by(dir, {kDenyAll, null_r, null_w}) ==
        (kNullRead | kNullWrite | kNullReadWrite));
  // A wildcard "c 1:* r" plus "c 1:3 w" is two exceptions: no single one covers read+write.
  DeviceRule mem_r{true, 'c', 1, -1, "r"};
  CHECK(opens_allowed_by(dir, {kDenyAll, mem_r, null_w}) == (kNullRead | kNullWrite | kZeroRead));
}

TEST_CASE("the kernel applies an allow-all then deny list with the last rule winning") {
  if (!have_unified()) return;
  TestCgroup cg;
  std::string dir = cg.dir("unified");
  REQUIRE(mkdir_p(dir, nullptr));
  DeviceRule deny_zero{false, 'c', 1, 5, "rwm"}, deny_null_w{false, 'c', 1, 3, "w"};
  CHECK(opens_allowed_by(dir, {kAllowAll, deny_zero}) == (kNullRead | kNullWrite | kNullReadWrite));
  // runc's semantics: a deny of "w" stops a write-only open but not a read-write one.
  CHECK(opens_allowed_by(dir, {kAllowAll, deny_null_w}) ==
        (kNullRead | kNullReadWrite | kZeroRead));
  // A later allow gives /dev/zero back.
  CHECK(opens_allowed_by(dir, {kAllowAll, deny_zero, DeviceRule{true, 'c', 1, 5, "r"}}) ==
        (kNullRead | kNullWrite | kNullReadWrite | kZeroRead));
}

namespace {

std::set<std::string> listed(const std::string& dir) {
  std::set<std::string> out;
  std::istringstream in(slurp(dir + "/devices.list"));
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.insert(line);
  return out;
}

std::set<std::string> expected_list(const std::vector<DeviceRule>& spec) {
  auto policy = compile_device_rules(effective_device_rules(spec));
  REQUIRE(policy);
  std::set<std::string> out;
  for (const DeviceRule& r : policy->exceptions) out.insert(device_rule_text(r));
  return out;
}

}  // namespace

TEST_CASE("v1 devices: create and an update leave devices.list equal to the compiled policy") {
  if (!fs::exists("/sys/fs/cgroup/devices/devices.list")) return;
  Plugin plugin;
  TestCgroup cg;
  keel_error err{};
  Sink state;
  int clone_fd = -1;
  std::string req = R"({"id":"it","cgroupsPath":")" + cg.path() +
                    R"(","resources":{"devices":[{"allow":false,"access":"rwm"},
                       {"allow":true,"type":"b","major":7,"minor":0,"access":"r"},
                       {"allow":true,"type":"b","major":7,"minor":0,"access":"w"}]},
                       "rootless":false,"options":{}})";
  REQUIRE_MESSAGE(plugin.ops->create(req.c_str(), &state.raw, &clone_fd, &err) == 0, err.message);
  std::string dir = cg.dir("devices");
  auto first = expected_list({kDenyAll, {true, 'b', 7, 0, "r"}, {true, 'b', 7, 0, "w"}});
  CHECK(first.contains("b 7:0 rw"));  // the two partial rules merged, in the kernel too
  CHECK(listed(dir) == first);

  // An update drops /dev/loop0's write and adds /dev/loop1: the kernel ends with the new policy.
  int rc = plugin.ops->set(state.text.c_str(), R"({"devices":[{"allow":false,"access":"rwm"},
      {"allow":true,"type":"b","major":7,"minor":0,"access":"r"},
      {"allow":true,"type":"b","major":7,"minor":1,"access":"rw"}]})",
                           &err);
  REQUIRE_MESSAGE(rc == 0, err.message);
  CHECK(listed(dir) == expected_list({kDenyAll, {true, 'b', 7, 0, "r"}, {true, 'b', 7, 1, "rw"}}));
  // A process moved into the cgroup sees the result.
  CHECK(run_probe_in(dir) == (kNullRead | kNullWrite | kNullReadWrite | kZeroRead));
  // Back to allow-all and to a deny list: the whole sequence, still the compiled policy.
  rc = plugin.ops->set(state.text.c_str(), R"({"devices":[{"allow":true,"access":"rwm"},
      {"allow":false,"type":"c","major":1,"minor":5,"access":"rwm"}]})",
                       &err);
  REQUIRE_MESSAGE(rc == 0, err.message);
  CHECK(listed(dir) == std::set<std::string>{"a *:* rwm"});
  // runc's defaults come after the spec's rules and allow /dev/zero again, as under runc.
  CHECK(run_probe_in(dir) == (kNullRead | kNullWrite | kNullReadWrite | kZeroRead));
  REQUIRE(plugin.ops->destroy(state.text.c_str(), &err) == 0);
}

TEST_CASE("the compiled policy equals what the v1 kernel makes of the same rules, raw, in order") {
  // The v1 devices cgroup is the ground truth runc's emulator models: random rule lists are
  // written one by one to devices.allow/deny and the kernel's devices.list must equal ours.
  if (!fs::exists("/sys/fs/cgroup/devices/devices.list")) return;
  TestCgroup cg;
  std::string dir = cg.dir("devices");
  REQUIRE(mkdir_p(dir, nullptr));
  uint32_t seed = 12345;
  auto rnd = [&](uint32_t n) {
    seed = seed * 1103515245 + 12345;
    return (seed >> 16) % n;
  };
  const char* accesses[] = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
  const int64_t majors[] = {1, 7, -1}, minors[] = {3, 5, -1};
  int compared = 0;
  for (int round = 0; round < 300; ++round) {
    std::vector<DeviceRule> rules{kDenyAll};
    for (int i = 0, n = 1 + static_cast<int>(rnd(6)); i < n; ++i) {
      uint32_t t = rnd(20);
      char type = t == 0 ? 'a' : t < 11 ? 'c' : 'b';
      rules.push_back(
          DeviceRule{rnd(3) != 0, type, majors[rnd(3)], minors[rnd(3)], accesses[rnd(7)]});
    }
    auto policy = compile_device_rules(rules);
    if (!policy) continue;  // a hole in a wildcard: the kernel would silently ignore it
    for (const DeviceRule& r : rules) {
      std::string text = r.type == 'a' ? "a" : device_rule_text(r);
      auto w = write_file(dir, r.allow ? "devices.allow" : "devices.deny", text);
      REQUIRE_MESSAGE(w, (w ? "" : w.error().message));
    }
    std::set<std::string> ours;
    if (policy->default_allow)
      ours.insert("a *:* rwm");  // an allow-all cgroup hides its deny exceptions
    else
      for (const DeviceRule& r : policy->exceptions) ours.insert(device_rule_text(r));
    std::string trail;
    for (const DeviceRule& r : rules) trail += (r.allow ? " +" : " -") + device_rule_text(r);
    CAPTURE(trail);
    CHECK(listed(dir) == ours);
    ++compared;
    auto reset = write_file(dir, "devices.deny", "a");
    REQUIRE(reset);
  }
  CHECK(compared > 150);
}

namespace {

// Which of 8 device accesses the kernel lets a process in `dir` make on the nodes in `nodes`
// (c 1:3 as "null", c 1:5 as "zero", b 7:0 as "loop"): a bit is set unless the kernel says EPERM
// (an allowed open of a missing loop device fails with ENXIO, which still counts as allowed).
int access_bits_in(const std::string& dir, const std::string& nodes) {
  Child child([&nodes] {
    auto allowed = [](int rc) { return rc >= 0 || errno != EPERM; };
    auto opens = [&](const std::string& path, int flags) {
      int fd = ::open(path.c_str(), flags | O_CLOEXEC);
      bool ok = allowed(fd);
      if (fd >= 0) ::close(fd);
      return ok;
    };
    auto makes = [&](const std::string& path, mode_t type, dev_t dev) {
      bool ok = allowed(::mknod(path.c_str(), type | 0600, dev));
      ::unlink(path.c_str());
      return ok;
    };
    int bits = 0;
    bits |= opens(nodes + "/null", O_RDONLY) << 0;
    bits |= opens(nodes + "/null", O_WRONLY) << 1;
    bits |= opens(nodes + "/null", O_RDWR) << 2;
    bits |= opens(nodes + "/zero", O_RDONLY) << 3;
    bits |= opens(nodes + "/zero", O_WRONLY) << 4;
    bits |= opens(nodes + "/loop", O_RDONLY) << 5;
    bits |= makes(nodes + "/null2", S_IFCHR, makedev(1, 3)) << 6;
    bits |= makes(nodes + "/loop2", S_IFBLK, makedev(7, 0)) << 7;
    return bits;
  });
  auto r = write_file(dir, "cgroup.procs", std::to_string(child.pid));
  REQUIRE_MESSAGE(r, (r ? "" : r.error().message));
  child.release();
  int status = child.wait();
  REQUIRE(WIFEXITED(status));
  return WEXITSTATUS(status);
}

}  // namespace

TEST_CASE("the eBPF program and the v1 kernel give the same verdicts for random allow-lists") {
  if (!have_unified() || !fs::exists("/sys/fs/cgroup/devices/devices.list")) return;
  TestCgroup cg;
  std::string v1 = cg.dir("devices"), v2 = cg.dir("unified");
  REQUIRE(mkdir_p(v1, nullptr));
  REQUIRE(mkdir_p(v2, nullptr));
  char tmpl[] = "/tmp/keel-devnodes-XXXXXX";
  REQUIRE(::mkdtemp(tmpl) != nullptr);
  std::string nodes = tmpl;
  struct Cleanup {
    std::string dir;
    ~Cleanup() { fs::remove_all(dir); }
  } cleanup{nodes};
  REQUIRE(::mknod((nodes + "/null").c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0);
  REQUIRE(::mknod((nodes + "/zero").c_str(), S_IFCHR | 0666, makedev(1, 5)) == 0);
  REQUIRE(::mknod((nodes + "/loop").c_str(), S_IFBLK | 0666, makedev(7, 0)) == 0);

  uint32_t seed = 777;
  auto rnd = [&](uint32_t n) {
    seed = seed * 1103515245 + 12345;
    return (seed >> 16) % n;
  };
  const char* accesses[] = {"r", "w", "m", "rw", "rm", "wm", "rwm"};
  const int64_t majors[] = {1, 7, -1}, minors[] = {0, 3, 5, -1};
  int compared = 0;
  std::set<int> seen;
  for (int round = 0; round < 80; ++round) {
    std::vector<DeviceRule> rules{kDenyAll};
    for (int i = 0, n = 1 + static_cast<int>(rnd(5)); i < n; ++i)
      rules.push_back(DeviceRule{rnd(4) != 0, rnd(2) ? 'c' : 'b', majors[rnd(3)], minors[rnd(4)],
                                 accesses[rnd(7)]});
    auto policy = compile_device_rules(rules);
    if (!policy || policy->default_allow) continue;
    REQUIRE(write_file(v1, "devices.deny", "a"));
    for (const DeviceRule& r : rules)
      if (r.type != 'a')
        REQUIRE(write_file(v1, r.allow ? "devices.allow" : "devices.deny", device_rule_text(r)));
    auto program = device_filter_program(*policy);
    REQUIRE(program);
    REQUIRE(attach_device_filter(v2, *program));
    std::string trail;
    for (const DeviceRule& r : rules) trail += (r.allow ? " +" : " -") + device_rule_text(r);
    CAPTURE(trail);
    int verdicts = access_bits_in(v1, nodes);
    CHECK(access_bits_in(v2, nodes) == verdicts);
    seen.insert(verdicts);
    ++compared;
  }
  CHECK(compared > 40);
  CHECK(seen.size() > 10);  // the lists really allowed different things
}
