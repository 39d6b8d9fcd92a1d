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
     "linux.seccomp.syscalls[1].action: string SCMP_ACT_FOO is not a valid action"},
    {"unknown architecture",
     R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_Z80"],
        "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]})",
     "linux.seccomp.architectures[1]: string SCMP_ARCH_Z80 is not a valid arch"},
    {"argument index out of range",
     R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["getpid"],"action":"SCMP_ACT_ALLOW"},
        {"names":["personality"],"action":"SCMP_ACT_ERRNO",
         "args":[{"index":6,"value":0,"op":"SCMP_CMP_EQ"}]}]})",
     "linux.seccomp.syscalls[1].args[0].index: syscall argument index 6 out of range"},
    {"unknown operator",
     R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
         "args":[{"index":0,"value":0,"op":"SCMP_CMP_ALMOST"}]}]})",
     "linux.seccomp.syscalls[0].args[0].op: string SCMP_CMP_ALMOST is not a valid operator"},
    {"args not an array",
     R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["personality"],"action":"SCMP_ACT_ERRNO",
         "args":{"index":0}}]})",
     "linux.seccomp.syscalls[0].args: expected an array"},
    // Refused by the plugin's compile (the spec knows the name).
    {"an architecture this libseccomp cannot build",
     R"({"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_LOONGARCH64"],
        "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"}]})",
     "SCMP_ARCH_LOONGARCH64 is not supported by this libseccomp"},
    // Refused by the spec parser's runc checks too.
    {"NOTIFY on write",
     R"({"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/tmp/none.sock",
        "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_ERRNO"},
                    {"names":["write"],"action":"SCMP_ACT_NOTIFY"}]})",
     "linux.seccomp.syscalls[1].action: SCMP_ACT_NOTIFY cannot be used for the write syscall"},
    {"NOTIFY without listenerPath",
     R"({"defaultAction":"SCMP_ACT_ALLOW",
        "syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]})",
     "linux.seccomp.listenerPath: listenerPath is required when SCMP_ACT_NOTIFY is used"},
};

}  // namespace

TEST_CASE("a bad seccomp profile fails create with exit 1, the rule in the log, nothing left") {
  for (const auto& bad : kBad) {
    std::string what = bad.what;
    CAPTURE(what);
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
