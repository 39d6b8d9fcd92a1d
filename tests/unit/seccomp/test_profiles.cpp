// Compiling real engine profiles, and refusing bad ones with the rule named.
#include <doctest/doctest.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include <string>

#include "bpf_interpreter.hpp"
#include "child.hpp"
#include "compiler.hpp"

using namespace keel::seccomp;
using namespace keel::seccomp::test;

TEST_CASE("the Docker and Podman profiles compile to non-empty programs") {
  for (const char* name : {"docker-create", "podman-create"}) {
    CAPTURE(name);
    auto c = must_compile(fixture_profile(name));
    CHECK(!c.bpf.empty());
    CHECK(c.bpf.size() % sizeof(Insn) == 0);
    CHECK(c.bpf.size() / sizeof(Insn) <= kMaxInsns);
    CHECK(!c.needs_listener);
  }
}

TEST_CASE("the Podman profile's defaultErrnoRet 38 is what unlisted syscalls get") {
  Program p = from_bytes(must_compile(fixture_profile("podman-create")).bpf);
  // add_key (248) is not in Podman's list: it gets the default, ENOSYS.
  auto unlisted = run_bpf(p, syscall_data(AUDIT_ARCH_X86_64, 248));
  REQUIRE(unlisted.has_value());
  CHECK(*unlisted == (SECCOMP_RET_ERRNO | 38));
  // kexec_load (246) is listed with errnoRet 1.
  auto listed = run_bpf(p, syscall_data(AUDIT_ARCH_X86_64, 246));
  REQUIRE(listed.has_value());
  CHECK(*listed == (SECCOMP_RET_ERRNO | 1));
}

TEST_CASE("an absent flags list means SPEC_ALLOW (when the kernel has it), an empty one none") {
  auto absent = must_compile(R"({"defaultAction":"SCMP_ACT_ALLOW"})");
  CHECK(absent.flags == SECCOMP_FILTER_FLAG_SPEC_ALLOW);
  auto empty = must_compile(R"({"defaultAction":"SCMP_ACT_ALLOW","flags":[]})");
  CHECK(empty.flags == 0);
  auto listed = must_compile(
      R"({"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_LOG","SECCOMP_FILTER_FLAG_TSYNC"]})");
  CHECK(listed.flags == (SECCOMP_FILTER_FLAG_LOG | SECCOMP_FILTER_FLAG_TSYNC));
}

TEST_CASE("a profile with no default action and no syscalls disables seccomp") {
  auto c = must_compile(R"({"architectures":["SCMP_ARCH_X86_64"]})");
  CHECK(c.bpf.empty());
}

TEST_CASE("SCMP_ACT_NOTIFY asks for a listener") {
  auto c = must_compile(R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/run/agent.sock",
      "syscalls":[{"names":["mkdirat"],"action":"SCMP_ACT_NOTIFY"}]})");
  CHECK(c.needs_listener);
}

TEST_CASE("unknown syscall names are skipped with a debug message, like runc") {
  std::string logged;
  auto c = compile(R"({"defaultAction":"SCMP_ACT_ALLOW",
      "syscalls":[{"names":["no_such_syscall","mkdir"],"action":"SCMP_ACT_ERRNO"}]})",
                   "", [&](std::string_view m) { logged += m; });
  REQUIRE(c.has_value());
  CHECK(logged.find("\"no_such_syscall\"") != std::string::npos);
}

TEST_CASE("bad profiles fail with the offending rule named") {
  struct Case {
    const char* json;
    const char* message;
  };
  const Case cases[] = {
      {R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a"],"action":"SCMP_ACT_ERRNO"},
          {"names":["b"],"action":"SCMP_ACT_FOO"}]})",
       R"(linux.seccomp.syscalls[1]: unknown action "SCMP_ACT_FOO")"},
      {R"({"defaultAction":"SCMP_ACT_FOO"})",
       R"(linux.seccomp: unknown defaultAction "SCMP_ACT_FOO")"},
      {R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_Z80"]})",
       R"(linux.seccomp.architectures[1]: unknown architecture "SCMP_ARCH_Z80")"},
      {R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],
          "action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_ABOUT"}]}]})",
       R"(linux.seccomp.syscalls[0].args[0]: unknown operator "SCMP_CMP_ABOUT")"},
      {R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],
          "action":"SCMP_ACT_ERRNO","args":[{"index":0,"value":1,"op":"SCMP_CMP_EQ"},
          {"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]})",
       "linux.seccomp.syscalls[0].args[1]: index 6 is out of range"},
      {R"({"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_FAST"]})",
       R"(linux.seccomp.flags[0]: unknown flag "SECCOMP_FILTER_FLAG_FAST")"},
      {R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"action":"SCMP_ACT_ERRNO"}]})",
       "linux.seccomp.syscalls[0]: names is empty"},
      {R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/x",
          "syscalls":[{"names":["write"],"action":"SCMP_ACT_NOTIFY"}]})",
       "linux.seccomp.syscalls[0]: SCMP_ACT_NOTIFY cannot be used for the write syscall"},
      {R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]})",
       "linux.seccomp.listenerPath: required when a rule uses SCMP_ACT_NOTIFY"},
      {R"({"defaultAction":"SCMP_ACT_NOTIFY"})",
       "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action"},
      {R"({"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":-1})",
       "linux.seccomp.defaultErrnoRet: expected an unsigned integer"},
      {R"({"defaultAction":)", "parsing linux.seccomp: "},
  };
  for (const auto& c : cases) {
    CAPTURE(c.json);
    auto r = compile(c.json, "", nullptr);
    REQUIRE(!r.has_value());
    CHECK(r.error().message.find(c.message) == 0);
    CHECK(r.error().code == EINVAL);
  }
}
