// Compiled programs installed in forked children: each action does what the kernel promises.
#include <doctest/doctest.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <thread>

#include "child.hpp"

using namespace keel::seccomp;
using namespace keel::seccomp::test;

namespace {

// defaultAction ALLOW plus one rule for `name`.
std::string one_rule(const std::string& name, const std::string& action,
                     const std::string& extra = "") {
  return R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":[")" + name +
         R"("],"action":")" + action + "\"" + extra + "}]}";
}

const char* const kMissingDir = "/nonexistent-keel-seccomp-test/dir";

}  // namespace

TEST_CASE("SCMP_ACT_ERRNO returns errnoRet, and EPERM without one") {
  auto with_ret = must_compile(one_rule("mkdir", "SCMP_ACT_ERRNO", R"(,"errnoRet":30)"));
  auto plain = must_compile(one_rule("mkdir", "SCMP_ACT_ERRNO"));
  auto body = [](const Reporter& r) { r.report(result_of(syscall(SYS_mkdir, kMissingDir, 0700))); };
  auto a = run_filtered(with_ret, body);
  auto b = run_filtered(plain, body);
  CHECK(a.exited_ok());
  CHECK(b.exited_ok());
  CHECK(a.reports == std::vector<int64_t>{-EROFS});
  CHECK(b.reports == std::vector<int64_t>{-EPERM});
}

TEST_CASE("defaultErrnoRet is what every unlisted syscall gets") {
  auto c = must_compile(R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":13,
      "syscalls":[{"names":["write","exit_group","exit","rt_sigreturn","landlock_create_ruleset"],
                   "action":"SCMP_ACT_ALLOW"}]})");
  auto out = run_filtered(c, [](const Reporter& r) {
    r.report(result_of(syscall(SYS_mkdir, kMissingDir, 0700)));
    r.report(result_of(syscall(SYS_getppid)));
  });
  CHECK(out.exited_ok());
  CHECK(out.reports == std::vector<int64_t>{-EACCES, -EACCES});
}

TEST_CASE("an argument filter lets personality(0) through and refuses other personas") {
  auto c = must_compile(one_rule("personality", "SCMP_ACT_ERRNO",
                                 R"(,"args":[{"index":0,"value":0,"op":"SCMP_CMP_NE"}])"));
  auto out = run_filtered(c, [](const Reporter& r) {
    r.report(result_of(syscall(SYS_personality, 0)));
    r.report(result_of(syscall(SYS_personality, PER_LINUX32)));
  });
  CHECK(out.exited_ok());
  REQUIRE(out.reports.size() == 2);
  CHECK(out.reports[0] >= 0);
  CHECK(out.reports[1] == -EPERM);
}

TEST_CASE("two conditions on the same argument are ORed (runc's rule), on different ones ANDed") {
  auto same = must_compile(one_rule("personality", "SCMP_ACT_ERRNO",
                                    R"(,"args":[{"index":0,"value":8,"op":"SCMP_CMP_EQ"},
                                               {"index":0,"value":131072,"op":"SCMP_CMP_EQ"}])"));
  auto out = run_filtered(same, [](const Reporter& r) {
    r.report(result_of(syscall(SYS_personality, 8)));
    r.report(result_of(syscall(SYS_personality, 131072)));
    r.report(result_of(syscall(SYS_personality, 0)));
  });
  CHECK(out.exited_ok());
  REQUIRE(out.reports.size() == 3);
  CHECK(out.reports[0] == -EPERM);
  CHECK(out.reports[1] == -EPERM);
  CHECK(out.reports[2] >= 0);

  // mkdirat(dirfd == 3 && mode == 0700): conditions on different arguments must both hold.
  auto both = must_compile(one_rule("mkdirat", "SCMP_ACT_ERRNO", R"(,"errnoRet":30,"args":[
        {"index":0,"value":3,"op":"SCMP_CMP_EQ"},{"index":2,"value":448,"op":"SCMP_CMP_EQ"}])"));
  auto out2 = run_filtered(both, [](const Reporter& r) {
    r.report(result_of(syscall(SYS_mkdirat, 3, kMissingDir, 0700)));
    r.report(result_of(syscall(SYS_mkdirat, 3, kMissingDir, 0755)));
    r.report(result_of(syscall(SYS_mkdirat, AT_FDCWD, kMissingDir, 0700)));
  });
  CHECK(out2.exited_ok());
  REQUIRE(out2.reports.size() == 3);
  CHECK(out2.reports[0] == -EROFS);
  CHECK(out2.reports[1] != -EROFS);
  CHECK(out2.reports[2] != -EROFS);
}

TEST_CASE("SCMP_CMP_MASKED_EQ compares the masked argument (value is the mask)") {
  auto c = must_compile(one_rule("personality", "SCMP_ACT_ERRNO", R"(,"args":[
        {"index":0,"value":255,"valueTwo":8,"op":"SCMP_CMP_MASKED_EQ"}])"));
  auto out = run_filtered(c, [](const Reporter& r) {
    r.report(result_of(syscall(SYS_personality, 0x20008)));  // low byte 8: refused
    r.report(result_of(syscall(SYS_personality, 0)));
  });
  CHECK(out.exited_ok());
  REQUIRE(out.reports.size() == 2);
  CHECK(out.reports[0] == -EPERM);
  CHECK(out.reports[1] >= 0);
}

TEST_CASE("SCMP_ACT_TRAP raises SIGSYS naming the syscall") {
  auto c = must_compile(one_rule("getppid", "SCMP_ACT_TRAP"));
  auto out = run_filtered(c, [](const Reporter& r) {
    static int report_fd;
    report_fd = r.fd();
    struct sigaction sa {};
    sa.sa_flags = SA_SIGINFO;
    sa.sa_sigaction = [](int, siginfo_t* info, void*) {
      int64_t nr = info->si_syscall;
      (void)!write(report_fd, &nr, sizeof nr);
    };
    sigaction(SIGSYS, &sa, nullptr);
    syscall(SYS_getppid);
    r.report(-1);  // the handler ran first and the process survived
  });
  CHECK(out.exited_ok());
  CHECK(out.reports == std::vector<int64_t>{SYS_getppid, -1});
}

TEST_CASE("SCMP_ACT_KILL_PROCESS kills the whole process with SIGSYS") {
  auto c = must_compile(one_rule("getppid", "SCMP_ACT_KILL_PROCESS"));
  auto out = run_filtered(c, [](const Reporter& r) {
    std::thread t([] { syscall(SYS_getppid); });
    t.join();
    r.report(1);  // never reached
  });
  CHECK(out.term_signal() == SIGSYS);
  CHECK(out.reports.empty());
}

TEST_CASE("SCMP_ACT_KILL_THREAD and SCMP_ACT_KILL kill only the calling thread") {
  for (const char* action : {"SCMP_ACT_KILL_THREAD", "SCMP_ACT_KILL"}) {
    CAPTURE(action);
    auto c = must_compile(one_rule("getppid", action));
    auto out = run_filtered(c, [](const Reporter& r) {
      // A raw thread: when the kernel kills it, its tid futex still wakes the joiner.
      std::thread t([] { syscall(SYS_getppid); });
      t.join();
      r.report(2);  // the main thread lives on
    });
    CHECK(out.exited_ok());
    CHECK(out.reports == std::vector<int64_t>{2});
  }
}

TEST_CASE("SCMP_ACT_LOG lets the syscall through") {
  auto c = must_compile(one_rule("getpid", "SCMP_ACT_LOG"));
  auto out = run_filtered(
      c, [](const Reporter& r) { r.report(result_of(syscall(SYS_getpid)) == getpid() ? 1 : 0); });
  CHECK(out.exited_ok());
  CHECK(out.reports == std::vector<int64_t>{1});
}

TEST_CASE("under the Docker profile unshare(CLONE_NEWNS) and mount are refused, getpid works") {
  auto c = must_compile(fixture_profile("docker-create"));
  auto out = run_filtered(c, [](const Reporter& r) {
    r.report(result_of(unshare(CLONE_NEWNS)));
    r.report(result_of(mount("none", "/mnt", "tmpfs", 0, nullptr)));
    r.report(result_of(syscall(SYS_getpid)) > 0);
  });
  CHECK(out.exited_ok());
  CHECK(out.reports == std::vector<int64_t>{-EPERM, -EPERM, 1});
}
