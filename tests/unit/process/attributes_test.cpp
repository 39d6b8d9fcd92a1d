// A forked child becomes a container process: it enters a private mount namespace, chroots
// into a busybox rootfs with /proc mounted (what the init sees after pivot_root), applies a
// process spec and reports what the kernel says, then execs a busybox applet.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "keel/fd.hpp"
#include "keel/linux/process.hpp"
#include "support.hpp"

using namespace keel;
using keel::test::field;

namespace {

struct SchedAttr {
  uint32_t size;
  uint32_t sched_policy;
  uint64_t sched_flags;
  int32_t sched_nice;
  uint32_t sched_priority;
  uint64_t sched_runtime, sched_deadline, sched_period;
  uint32_t sched_util_min, sched_util_max;
};

// In the child: private mounts, proc in the rootfs, cwd created before the chroot.
bool enter_rootfs(const std::string& root, const std::string& cwd) {
  if (unshare(CLONE_NEWNS) != 0) return false;
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return false;
  if (mount("proc", (root + "/proc").c_str(), "proc", 0, nullptr) != 0) return false;
  UniqueFd rootfd(open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!cwd.empty() && !process::ensure_cwd(rootfd.get(), cwd)) return false;
  return chroot(root.c_str()) == 0 && chdir("/") == 0;
}

void report_kernel_view(const process::ExecPlan& plan) {
  const std::string status = test::read_file("/proc/self/status");
  for (const char* key : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb", "NoNewPrivs", "Uid",
                          "Gid", "Groups", "Umask"}) {
    std::printf("%s: %s\n", key, field(status, key).c_str());
  }
  rlimit rl{};
  getrlimit(RLIMIT_NOFILE, &rl);
  std::printf("nofile: %llu/%llu\n", (unsigned long long)rl.rlim_cur,
              (unsigned long long)rl.rlim_max);
  std::printf("oom: %s", test::read_file("/proc/self/oom_score_adj").c_str());
  std::printf("personality: %d\n", personality(0xffffffff));
  SchedAttr attr{};
  syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0);
  std::printf("policy: %u\nnice: %d\n", attr.sched_policy, attr.sched_nice);
  std::printf("ioprio: %ld\n", syscall(SYS_ioprio_get, 1, 0));
  cpu_set_t cpus;
  sched_getaffinity(0, sizeof cpus, &cpus);
  std::printf("cpus: %d cpu0: %d\n", CPU_COUNT(&cpus), CPU_ISSET(0, &cpus) ? 1 : 0);
  char cwd[256] = {};
  std::printf("cwd: %s\n", getcwd(cwd, sizeof cwd));
  std::printf("path: %s\n", plan.path.c_str());
  for (const auto& e : plan.env) std::printf("env: %s\n", e.c_str());
  for (const auto& w : plan.warnings) std::printf("warning: %s\n", w.c_str());
}

spec::Scheduler scheduler(std::string policy, std::vector<std::string> flags = {}) {
  spec::Scheduler s;
  s.policy = std::move(policy);
  s.flags = std::move(flags);
  return s;
}

spec::Personality personality_of(std::string domain) {
  spec::Personality p;
  p.domain = std::move(domain);
  return p;
}

spec::Process full_spec() {
  spec::Process p;
  p.args = {"grep", "-E", "^(Cap|NoNewPrivs|Uid)", "/proc/self/status"};
  p.env = {"PATH=/bin", "A=1", "A=2"};
  p.cwd = "/work/dir";
  p.user.uid = 1000;
  p.user.gid = 1000;
  p.user.additional_gids = {10, 20};
  p.user.umask = 027;
  p.capabilities = spec::Capabilities{
      .bounding = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_NET_RAW"},
      .effective = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"},
      .inheritable = {"CAP_NET_BIND_SERVICE"},
      .permitted = {"CAP_CHOWN", "CAP_KILL", "CAP_NET_BIND_SERVICE"},
      .ambient = {"CAP_NET_BIND_SERVICE"},
  };
  p.rlimits = {{"RLIMIT_NOFILE", 1024, 2048}};
  p.no_new_privileges = true;
  p.oom_score_adj = 500;
  p.scheduler = scheduler("SCHED_BATCH");
  p.scheduler->nice = 5;
  p.io_priority = spec::IoPriority{"IOPRIO_CLASS_BE", 4};
  p.exec_cpu_affinity = spec::CpuAffinity{.initial = "0", .final = ""};
  return p;
}

// Runs the documented call order in a child and execs; prints "error: ..." on failure.
test::ChildResult run_spec(const std::string& root, const spec::Process& p,
                           process::FinalizeOptions options) {
  return test::run_child([&]() -> int {
    if (!enter_rootfs(root, p.cwd)) return std::printf("error: entering rootfs\n"), 2;
    for (auto early : {process::apply_oom_score_adj(p.oom_score_adj.value_or(0)),
                       process::apply_rlimits(p.rlimits),
                       process::apply_cpu_affinity(
                           0, p.exec_cpu_affinity ? p.exec_cpu_affinity->initial : "")}) {
      if (!early) return std::printf("error: %s\n", early.error().message.c_str()), 3;
    }
    auto plan = process::finalize(p, options);
    if (!plan) return std::printf("error: %s\n", plan.error().message.c_str()), 4;
    report_kernel_view(*plan);
    std::printf("--exec--\n");
    std::fflush(stdout);
    auto r = process::exec_process(*plan);
    std::printf("error: %s\n", r.error().message.c_str());
    return 5;
  });
}

std::string after_exec(const std::string& output) {
  const auto at = output.find("--exec--\n");
  return at == std::string::npos ? "" : output.substr(at + 9);
}

}  // namespace

TEST_CASE("a child applies a whole process spec and the kernel reports every value") {
  test::BusyboxRootfs fs;
  std::vector<std::string> order;
  process::FinalizeOptions options;
  options.personality = personality_of("LINUX32");
  // The callbacks print at their call time: both run in the child.
  options.on_ready = [] {
    std::printf("ready euid: %d\n", geteuid());
    return Result<void>{};
  };
  options.install_seccomp = [] {
    std::printf("seccomp euid: %d nnp: %d\n", geteuid(), prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    return Result<void>{};
  };
  auto r = run_spec(fs.root, full_spec(), options);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  const std::string& out = r.output;

  // Capabilities: bounding subset, inheritable only what was listed, ambient raised.
  CHECK(field(out, "CapBnd") == "0000000000002421");
  CHECK(field(out, "CapPrm") == "0000000000000421");
  CHECK(field(out, "CapEff") == "0000000000000421");
  CHECK(field(out, "CapInh") == "0000000000000400");
  CHECK(field(out, "CapAmb") == "0000000000000400");
  CHECK(field(out, "NoNewPrivs") == "1");
  CHECK(field(out, "Uid") == "1000\t1000\t1000\t1000");
  CHECK(field(out, "Gid") == "1000\t1000\t1000\t1000");
  CHECK(field(out, "Groups") == "10 20");
  CHECK(field(out, "Umask") == "0027");
  CHECK(field(out, "nofile") == "1024/2048");
  CHECK(field(out, "oom") == "500");
  CHECK(field(out, "personality") == "8");
  CHECK(field(out, "policy") == "3");
  CHECK(field(out, "nice") == "5");
  CHECK(field(out, "ioprio") == std::to_string((2 << 13) | 4));
  CHECK(field(out, "cpus") == "1 cpu0: 1");
  CHECK(field(out, "cwd") == "/work/dir");
  CHECK(field(out, "path") == "/bin/grep");
  // Environment: duplicates collapsed (last wins), HOME from the rootfs' /etc/passwd.
  CHECK(out.find("env: PATH=/bin\nenv: A=2\nenv: HOME=/home/user\n") != std::string::npos);
  CHECK(out.find("env: A=1") == std::string::npos);
  // runc's order: ready before the user switch; with noNewPrivileges seccomp comes last.
  CHECK(field(out, "ready euid") == "0");
  CHECK(field(out, "seccomp euid") == "1000 nnp: 1");
  CHECK(out.find("ready euid") < out.find("seccomp euid"));

  // After execve as uid 1000 only the ambient capability survives, in permitted and effective.
  const std::string exec_view = after_exec(out);
  CHECK(field(exec_view, "CapPrm") == "0000000000000400");
  CHECK(field(exec_view, "CapEff") == "0000000000000400");
  CHECK(field(exec_view, "CapAmb") == "0000000000000400");
  CHECK(field(exec_view, "CapBnd") == "0000000000002421");
  CHECK(field(exec_view, "NoNewPrivs") == "1");
  CHECK(field(exec_view, "Uid") == "1000\t1000\t1000\t1000");
}

TEST_CASE("inheritable capabilities are empty when the spec lists none, even if inherited") {
  test::BusyboxRootfs fs;
  spec::Process p;
  p.args = {"true"};
  p.env = {"PATH=/bin", "HOME=/root"};
  p.capabilities = spec::Capabilities{.bounding = {"CAP_CHOWN", "CAP_NET_BIND_SERVICE"},
                                      .effective = {"CAP_CHOWN"},
                                      .inheritable = {},
                                      .permitted = {"CAP_CHOWN"},
                                      .ambient = {}};
  auto r = test::run_child([&]() -> int {
    // Start with a non-empty inheritable set, as a runtime's own caller might leave it.
    __user_cap_header_struct h{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct d[2] = {};
    syscall(SYS_capget, &h, d);
    d[0].inheritable = 1u << CAP_NET_BIND_SERVICE;
    if (syscall(SYS_capset, &h, d) != 0) return 2;
    if (field(test::read_file("/proc/self/status"), "CapInh") != "0000000000000400") return 3;
    if (!enter_rootfs(fs.root, "")) return 4;
    auto plan = process::finalize(p, {});
    if (!plan) return std::printf("error: %s\n", plan.error().message.c_str()), 5;
    report_kernel_view(*plan);
    return 0;
  });
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(field(r.output, "CapInh") == "0000000000000000");
  CHECK(field(r.output, "CapEff") == "0000000000000001");
  CHECK(field(r.output, "CapBnd") == "0000000000000401");
  CHECK(field(r.output, "Umask") == "0022");  // runc's default when user.umask is unset
  CHECK(r.output.find("env: HOME=/root\n") != std::string::npos);
}

TEST_CASE("a spec without capabilities leaves the process with none at all") {
  test::BusyboxRootfs fs;
  spec::Process p;
  p.args = {"/bin/true"};
  auto r = run_spec(fs.root, p, {});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  for (const char* key : {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
    CHECK(field(r.output, key) == "0000000000000000");
  }
  CHECK(field(r.output, "env") == "HOME=/root");
}

TEST_CASE("without noNewPrivileges seccomp is installed before the user switch") {
  test::BusyboxRootfs fs;
  spec::Process p = full_spec();
  p.no_new_privileges = false;
  p.args = {"true"};
  process::FinalizeOptions options;
  options.install_seccomp = [] {
    std::printf("seccomp euid: %d\n", geteuid());
    return Result<void>{};
  };
  auto r = run_spec(fs.root, p, options);
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(field(r.output, "seccomp euid") == "0");
  CHECK(field(r.output, "NoNewPrivs") == "0");
}

TEST_CASE("a failing seccomp callback stops finalize with its error") {
  test::BusyboxRootfs fs;
  spec::Process p = full_spec();
  process::FinalizeOptions options;
  options.install_seccomp = [] { return Result<void>(fail("loading seccomp filter: boom")); };
  auto r = run_spec(fs.root, p, options);
  CHECK(r.exit_code == 4);
  CHECK(r.output.find("error: loading seccomp filter: boom") != std::string::npos);
}

TEST_CASE("an ambient capability not in inheritable is a warning, not a failure, as in runc") {
  test::BusyboxRootfs fs;
  spec::Process p;
  p.args = {"true"};
  p.env = {"PATH=/bin"};
  p.capabilities = spec::Capabilities{.bounding = {"CAP_KILL", "CAP_BOGUS"},
                                      .effective = {"CAP_KILL"},
                                      .inheritable = {},
                                      .permitted = {"CAP_KILL"},
                                      .ambient = {"CAP_KILL"}};
  auto r = run_spec(fs.root, p, {});
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(field(r.output, "CapAmb") == "0000000000000000");
  CHECK(r.output.find("warning: can't raise ambient capability CAP_KILL") != std::string::npos);
  CHECK(r.output.find("warning: ignoring unknown or unavailable capabilities: [CAP_BOGUS]") !=
        std::string::npos);
}

TEST_CASE("bad attribute values are refused with runc's wording") {
  CHECK(process::apply_rlimits({{"RLIMIT_FOO", 1, 1}}).error().message ==
        "wrong rlimit value: RLIMIT_FOO");
  CHECK(process::apply_scheduler(scheduler("SCHED_NOPE")).error().message ==
        "invalid scheduler policy: SCHED_NOPE");
  CHECK(process::apply_scheduler(scheduler("SCHED_OTHER", {"SCHED_FLAG_X"})).error().message ==
        "invalid scheduler flag: SCHED_FLAG_X");
  CHECK(process::apply_io_priority({"IOPRIO_CLASS_X", 1}).error().message ==
        "invalid io priority class: IOPRIO_CLASS_X");
  CHECK(process::apply_personality(personality_of("BSD")).error().message ==
        "invalid personality domain BSD");
  CHECK_FALSE(process::apply_cpu_affinity(0, "3-1"));
  CHECK_FALSE(process::apply_cpu_affinity(0, "0,"));
  CHECK(process::prepare_env({"NOEQUALS"}, 0).error().message ==
        "invalid environment variable: missing '='");
  CHECK(process::prepare_env({"=x"}, 0).error().message ==
        "invalid environment variable: name cannot be empty");
}

TEST_CASE("an empty HOME is replaced and an unknown uid gets HOME=/") {
  test::TempDir dir;
  test::write_file(dir.path() + "/passwd", "user:x:1000:1000::/home/user:/bin/sh\n");
  auto env = process::prepare_env({"HOME=", "X=1"}, 1000, dir.path() + "/passwd");
  REQUIRE(env.has_value());
  CHECK(*env == std::vector<std::string>{"X=1", "HOME=/home/user"});
  auto unknown = process::prepare_env({"X=1"}, 4242, dir.path() + "/passwd");
  CHECK(unknown->back() == "HOME=/");
}

TEST_CASE("oom_score_adj is written only to procfs: a file bound over it is refused") {
  auto r = test::run_child([]() -> int {
    if (!process::apply_oom_score_adj(300)) return 2;
    if (test::read_file("/proc/self/oom_score_adj") != "300\n") return 3;
    if (unshare(CLONE_NEWNS) != 0) return 4;
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return 5;
    test::TempDir dir;
    test::write_file(dir.path() + "/fake", "0\n");
    if (mount((dir.path() + "/fake").c_str(), "/proc/self/oom_score_adj", nullptr, MS_BIND,
              nullptr) != 0) {
      return 6;
    }
    auto redirected = process::apply_oom_score_adj(400);
    std::printf("%s\n", redirected ? "written" : redirected.error().message.c_str());
    umount2("/proc/self/oom_score_adj", MNT_DETACH);
    return redirected ? 7 : 0;
  });
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("not on procfs") != std::string::npos);
}

TEST_CASE("SCHED_DEADLINE runtime, deadline, period and flags reach the kernel") {
  auto r = test::run_child([]() -> int {
    spec::Scheduler s = scheduler("SCHED_DEADLINE", {"SCHED_FLAG_RESET_ON_FORK"});
    s.runtime = 10'000'000;
    s.deadline = 30'000'000;
    s.period = 30'000'000;
    if (auto applied = process::apply_scheduler(s); !applied) {
      std::printf("error: %s\n", applied.error().message.c_str());
      return 2;
    }
    SchedAttr attr{};
    syscall(SYS_sched_getattr, 0, &attr, sizeof attr, 0);
    std::printf("%u %llu %llu %llu %llu\n", attr.sched_policy, (unsigned long long)attr.sched_flags,
                (unsigned long long)attr.sched_runtime, (unsigned long long)attr.sched_deadline,
                (unsigned long long)attr.sched_period);
    return 0;
  });
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.output == "6 1 10000000 30000000 30000000\n");
}
