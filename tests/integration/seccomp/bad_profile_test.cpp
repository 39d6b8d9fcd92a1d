// A profile the runtime cannot compile fails `create` before any process exists: exit 1, the
// last json log line is the error naming the rule, and no state dir, cgroup or process remains.
#include <dirent.h>
#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>

#include "harness.hpp"
#include "seccomp_fixture.hpp"

using namespace keel::test;

namespace {

// Processes whose root directory is the bundle's rootfs (a container init would be one).
int processes_rooted_at(const std::string& rootfs) {
  int n = 0;
  for (auto& e : std::filesystem::directory_iterator("/proc")) {
    std::error_code ec;
    auto root = std::filesystem::read_symlink(e.path() / "root", ec);
    if (!ec && root == rootfs) ++n;
  }
  return n;
}

struct BadProfile {
  const char* what;
  const char* profile;
  const char* message;  // must appear in the error
};

constexpr BadProfile kBad[] = {
    {"unknown action",
     R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ALLOW"},
        {"names":["mkdir"],"action":"SCMP_ACT_FOO"}]})",
     "SCMP_ACT_FOO"},
    {"unknown architecture",
     R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_Z80"],
        "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]})",
     "SCMP_ARCH_Z80"},
    {"argument index out of range",
     R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ALLOW"},
        {"names":["personality"],"action":"SCMP_ACT_ERRNO",
         "args":[{"index":6,"value":0,"op":"SCMP_CMP_EQ"}]}]})",
     "linux.seccomp.syscalls[1].args[0]"},
    {"unknown operator",
     R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
         "args":[{"index":0,"value":0,"op":"SCMP_CMP_ALMOST"}]}]})",
     "SCMP_CMP_ALMOST"},
    {"args not an array",
     R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
         "args":{"index":0}}]})",
     "args"},
};

}  // namespace

TEST_CASE("a bad seccomp profile fails create with exit 1, the rule in the log, nothing left") {
  for (const auto& bad : kBad) {
    CAPTURE(bad.what);
    Bundle b;
    b.set("/linux/seccomp", bad.profile);
    std::string log = b.dir() + "/log.json";
    auto r = b.keel({"--log", log, "--log-format", "json", "create", "--bundle", b.dir(), b.id()});
    CHECK(r.exit_code == 1);
    auto lines = file_lines(log);
    REQUIRE_MESSAGE(!lines.empty(), r.err);
    rapidjson::Document d;
    d.Parse(lines.back().c_str());
    REQUIRE_MESSAGE(d.IsObject(), lines.back());
    CHECK(std::string(d["level"].GetString()) == "error");
    std::string msg = d["msg"].GetString();
    CHECK_MESSAGE(msg.find(bad.message) != std::string::npos, msg);
    CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
    CHECK(keel_test_cgroups(b.id()).empty());
    CHECK(processes_rooted_at(b.rootfs()) == 0);
  }
}
