// seccomp_install.hpp on its own: refusing malformed programs, and flag combinations the kernel
// only accepts in a certain form.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "child.hpp"
#include "keel/linux/seccomp_install.hpp"

using namespace keel::seccomp;
using namespace keel::seccomp::test;

TEST_CASE("install_filter refuses an empty or misaligned program without calling the kernel") {
  auto empty = install_filter("", 0, false);
  REQUIRE(!empty);
  CHECK(empty.error().message.find("malformed program") != std::string::npos);
  auto odd = install_filter(std::string(12, '\0'), 0, false);
  REQUIRE(!odd);
  CHECK(odd.error().code == EINVAL);
}

TEST_CASE("a listener can be created together with TSYNC and WAIT_KILLABLE_RECV") {
  auto c = must_compile(R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/unused",
      "flags":["SECCOMP_FILTER_FLAG_TSYNC","SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
      "syscalls":[{"names":["mkdirat"],"action":"SCMP_ACT_NOTIFY"}]})");
  CHECK((c.flags & SECCOMP_FILTER_FLAG_TSYNC) != 0);
  CHECK((c.flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) != 0);
  auto out = run_filtered(c, [](const Reporter& r) {
    r.report(r.listener() >= 0 && fcntl(r.listener(), F_GETFD) == FD_CLOEXEC);
  });
  CHECK(out.exited_ok());
  CHECK(out.reports == std::vector<int64_t>{1});
}

TEST_CASE("WAIT_KILLABLE_RECV without a NOTIFY rule is dropped, so the filter still installs") {
  auto c = must_compile(R"({"defaultAction":"SCMP_ACT_ALLOW",
      "flags":["SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"],
      "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]})");
  CHECK(c.flags == 0);
  auto out = run_filtered(c, [](const Reporter& r) {
    r.report(result_of(syscall(SYS_mkdir, "/nonexistent-keel/x", 0700)));
  });
  CHECK(out.exited_ok());
  CHECK(out.reports == std::vector<int64_t>{-EPERM});
}
