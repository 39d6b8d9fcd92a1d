// The ENOSYS stub: structure checked with an interpreter on every arch section (x86, x32 can't
// be run here), and its effect checked in the kernel.
#include <doctest/doctest.h>
#include <errno.h>
#include <linux/audit.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "bpf_interpreter.hpp"
#include "child.hpp"
#include "enosys_stub.hpp"
#include "filter_builder.hpp"
#include "profile.hpp"

using namespace keel::seccomp;
using namespace keel::seccomp::test;

namespace {

constexpr uint32_t kEnosys = SECCOMP_RET_ERRNO | ENOSYS;
constexpr uint32_t kFilterMarker = SECCOMP_RET_TRACE | 0x1234;  // "reached the filter"
const Program kMarkerFilter = {ret(kFilterMarker)};

Program stubbed(const std::vector<ArchLimit>& limits) {
  auto p = splice(enosys_stub(limits), kMarkerFilter);
  REQUIRE(p.has_value());
  return *p;
}

uint32_t answer(const Program& p, uint32_t arch, uint32_t nr) {
  auto r = run_bpf(p, syscall_data(arch, int(nr)));
  REQUIRE(r.has_value());
  return *r;
}

}  // namespace

TEST_CASE("the ENOSYS stub is empty when no architecture has a limit") {
  CHECK(enosys_stub({}).empty());
  CHECK(enosys_stub({ArchLimit{AUDIT_ARCH_X86_64, std::nullopt, std::nullopt, false}}).empty());
}

TEST_CASE("the ENOSYS stub answers ENOSYS above the limit and defers to the filter otherwise") {
  Program p = stubbed({ArchLimit{AUDIT_ARCH_AARCH64, 300, std::nullopt, false}});
  CHECK(answer(p, AUDIT_ARCH_AARCH64, 301) == kEnosys);
  CHECK(answer(p, AUDIT_ARCH_AARCH64, 300) == kFilterMarker);
  CHECK(answer(p, AUDIT_ARCH_AARCH64, 0) == kFilterMarker);
  CHECK(answer(p, AUDIT_ARCH_X86_64, 1000) == kFilterMarker);  // other arch: the filter decides
}

TEST_CASE("the ENOSYS stub keeps x86_64 and x32 limits apart on their shared arch token") {
  Program both = stubbed({ArchLimit{AUDIT_ARCH_X86_64, 335, kX32SyscallBit | 547, false},
                          ArchLimit{AUDIT_ARCH_I386, 385, std::nullopt, false}});
  CHECK(answer(both, AUDIT_ARCH_X86_64, 336) == kEnosys);
  CHECK(answer(both, AUDIT_ARCH_X86_64, 335) == kFilterMarker);
  CHECK(answer(both, AUDIT_ARCH_X86_64, kX32SyscallBit | 547) == kFilterMarker);
  CHECK(answer(both, AUDIT_ARCH_X86_64, kX32SyscallBit | 548) == kEnosys);
  CHECK(answer(both, AUDIT_ARCH_I386, 386) == kEnosys);
  CHECK(answer(both, AUDIT_ARCH_I386, 385) == kFilterMarker);

  Program only64 = stubbed({ArchLimit{AUDIT_ARCH_X86_64, 335, std::nullopt, false}});
  CHECK(answer(only64, AUDIT_ARCH_X86_64, 400) == kEnosys);
  CHECK(answer(only64, AUDIT_ARCH_X86_64, kX32SyscallBit | 1) == kFilterMarker);

  Program only32 =
      stubbed({ArchLimit{AUDIT_ARCH_X86_64, std::nullopt, kX32SyscallBit | 10, false}});
  CHECK(answer(only32, AUDIT_ARCH_X86_64, 400) == kFilterMarker);
  CHECK(answer(only32, AUDIT_ARCH_X86_64, kX32SyscallBit | 11) == kEnosys);
}

TEST_CASE("the ENOSYS stub sends s390's multiplexer syscall 0 to ENOSYS") {
  Program p = stubbed({ArchLimit{AUDIT_ARCH_S390X, 400, std::nullopt, true}});
  CHECK(answer(p, AUDIT_ARCH_S390X, 0) == kEnosys);
  CHECK(answer(p, AUDIT_ARCH_S390X, 1) == kFilterMarker);
  CHECK(answer(p, AUDIT_ARCH_S390X, 401) == kEnosys);
}

TEST_CASE("splicing refuses a program longer than the kernel accepts") {
  Program big(kMaxInsns, ret(SECCOMP_RET_ALLOW));
  auto r = splice(enosys_stub({ArchLimit{AUDIT_ARCH_X86_64, 1, std::nullopt, false}}), big);
  REQUIRE(!r);
  CHECK(r.error().message.find("too long") != std::string::npos);
}

TEST_CASE("a compiled profile gets the stub for every listed arch, x32 included") {
  auto c = must_compile(R"({"defaultAction":"SCMP_ACT_ERRNO",
      "architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],
      "syscalls":[{"names":["read","write","exit_group"],"action":"SCMP_ACT_ALLOW"}]})");
  Program p = from_bytes(c.bpf);
  constexpr uint32_t kEperm = SECCOMP_RET_ERRNO | EPERM;
  // x86_64: exit_group is 231, the largest named.
  CHECK(answer(p, AUDIT_ARCH_X86_64, 231) == SECCOMP_RET_ALLOW);
  CHECK(answer(p, AUDIT_ARCH_X86_64, 100) == kEperm);
  CHECK(answer(p, AUDIT_ARCH_X86_64, 232) == kEnosys);
  // i386: exit_group is 252.
  CHECK(answer(p, AUDIT_ARCH_I386, 252) == SECCOMP_RET_ALLOW);
  CHECK(answer(p, AUDIT_ARCH_I386, 253) == kEnosys);
  // x32 numbers carry bit 30; exit_group is the same 231.
  CHECK(answer(p, AUDIT_ARCH_X86_64, kX32SyscallBit | 231) == SECCOMP_RET_ALLOW);
  CHECK(answer(p, AUDIT_ARCH_X86_64, kX32SyscallBit | 232) == kEnosys);
}

TEST_CASE("no stub when the default action already lets unknown syscalls through or says ENOSYS") {
  struct Case {
    const char* json;
    uint32_t high;  // what syscall 460 gets
  };
  for (
      auto [json, high] :
      {Case{
           R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]})",
           SECCOMP_RET_ALLOW},
       Case{
           R"({"defaultAction":"SCMP_ACT_LOG","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]})",
           SECCOMP_RET_LOG},
       Case{
           R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":38,"syscalls":[{"names":["read"],"action":"SCMP_ACT_ALLOW"}]})",
           kEnosys}}) {
    CAPTURE(json);
    Program p = from_bytes(must_compile(json).bpf);
    CHECK(answer(p, AUDIT_ARCH_X86_64, 460) == high);
    // The program is exactly libseccomp's: nothing was prepended.
    auto profile = parse_profile(json);
    REQUIRE(profile.has_value());
    auto bare = build_filter(*profile, nullptr);
    REQUIRE(bare.has_value());
    CHECK(to_bytes(p) == to_bytes(*bare));
  }
}

TEST_CASE(
    "in the kernel, a syscall newer than every listed one fails with ENOSYS, an older one "
    "with the default errno") {
  auto c = must_compile(R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":1,
      "architectures":["SCMP_ARCH_X86_64"],
      "syscalls":[{"names":["write","exit_group","exit","getpid","rt_sigreturn"],
                   "action":"SCMP_ACT_ALLOW"}]})");
  auto out = run_filtered(c, [](const Reporter& r) {
    r.report(result_of(syscall(SYS_landlock_create_ruleset, nullptr, 0, 0)));  // 444 > 231
    r.report(result_of(syscall(SYS_clone3, nullptr, 0)));                      // 435 > 231
    r.report(result_of(syscall(SYS_mkdir, "/nonexistent-keel", 0700)));        // 83 < 231
    r.report(result_of(syscall(SYS_getpid)) > 0);
  });
  CHECK(out.exited_ok());
  REQUIRE(out.reports.size() == 4);
  CHECK(out.reports[0] == -ENOSYS);
  CHECK(out.reports[1] == -ENOSYS);
  CHECK(out.reports[2] == -EPERM);
  CHECK(out.reports[3] == 1);
}
