// update: flags and --resources reach the cgroup files and the container, and are remembered.
#include <doctest/doctest.h>

#include "harness.hpp"
#include "manage_util.hpp"

using namespace keel::test;

namespace {

const std::string kSleeper = "while true; do sleep 0.2; done";

// The cpu share keel wrote: cpu.shares on v1; on v2 cpu.weight, runc's conversion of the shares
// (1 + (shares - 2) * 9999 / 262142: 512 -> 20, 256 -> 10).
std::string cpu_share(const Bundle& b) {
  return cgroup_value(b, "cpu", cgroup_v2_host() ? "cpu.weight" : "cpu.shares");
}

// The CFS quota and period as "QUOTA PERIOD": v2's cpu.max, or v1's two files.
std::string cpu_quota_period(const Bundle& b) {
  if (cgroup_v2_host()) return cgroup_value(b, "cpu", "cpu.max");
  return cgroup_value(b, "cpu", "cpu.cfs_quota_us") + " " +
         cgroup_value(b, "cpu", "cpu.cfs_period_us");
}

}  // namespace

TEST_CASE("update --memory 64m: memory.max / memory.limit_in_bytes reads 67108864") {
  Bundle b("upd");
  b.set_command(kSleeper);
  start_running(b);
  auto u = b.keel({"update", "--memory", "64m", b.id()});
  CHECK_MESSAGE(u.exit_code == 0, u.err);
  CHECK(memory_limit(b) == "67108864");
  auto g = b.keel({"update", "--memory", "1G", b.id()});
  CHECK_MESSAGE(g.exit_code == 0, g.err);
  CHECK(memory_limit(b) == "1073741824");
}

TEST_CASE("update --memory --cpu-quota --cpu-period --pids-limit in one call: every file") {
  Bundle b("upd");
  b.set_command(kSleeper);
  start_running(b);
  auto u = b.keel({"update", "--memory", "32m", "--cpu-quota", "30000", "--cpu-period", "50000",
                   "--pids-limit", "12", b.id()});
  REQUIRE_MESSAGE(u.exit_code == 0, u.err);
  CHECK(memory_limit(b) == "33554432");
  CHECK(cpu_quota_period(b) == "30000 50000");
  CHECK(cgroup_value(b, "pids", "pids.max") == "12");
}

TEST_CASE("update --pids-limit stops a fork loop inside the container") {
  Bundle b("upd");
  std::string ctl = b.bind_file("/ctl");
  std::string out = b.bind_file("/out");
  std::string done = b.bind_file("/done");
  // Waits for "go" with builtins only (no fork), then a subshell starts up to 20 sleepers and
  // records each one the kernel let it fork; ash gives up at the first failed fork.
  b.set_command(
      "while read -r x < /ctl; [ \"$x\" != go ]; do sleep 0.1; done; "
      "(i=0; while [ $i -lt 20 ]; do sleep 30 & i=$((i+1)); echo $i > /out; done); "
      "echo end > /done; while true; do sleep 1; done");
  start_running(b);
  auto u = b.keel({"update", "--pids-limit", "5", b.id()});
  REQUIRE_MESSAGE(u.exit_code == 0, u.err);
  CHECK(cgroup_value(b, "pids", "pids.max") == "5");
  write_file(ctl, "go\n", 0666);
  REQUIRE(eventually([&] { return read_file(done) == "end\n"; }));
  int forked = std::stoi("0" + read_file(out));
  CHECK(forked < 20);
  CHECK(forked <= 3);  // init + the subshell + 3 sleepers = pids.max 5
  CHECK(std::stoi(cgroup_value(b, "pids", "pids.current")) <= 5);
  CHECK(b.status() == "running");
}

TEST_CASE("update --resources - reads Docker's LinuxResources JSON from stdin") {
  Bundle b("upd");
  b.set_command(kSleeper);
  b.set("/linux/resources/cpu", R"({"shares":1024,"quota":20000,"period":100000})");
  start_running(b);
  // What containerd's shim sends for `docker update --memory 48m --cpu-shares 512`: unset
  // values as zeros and empty strings, which runc treats as "unchanged".
  RunOptions in;
  in.stdin_text =
      R"({"memory":{"limit":50331648},"cpu":{"shares":512,"quota":0,"period":0,"cpus":"",)"
      R"("mems":""},"pids":{"limit":0},"blockIO":{"weight":0}})";
  auto u = b.keel({"update", "--resources", "-", b.id()}, in);
  CHECK_MESSAGE(u.exit_code == 0, u.err);
  CHECK(memory_limit(b) == "50331648");
  CHECK(cpu_share(b) == (cgroup_v2_host() ? "20" : "512"));
  CHECK(cpu_quota_period(b) == "20000 100000");
  CHECK(cgroup_value(b, "pids", "pids.max") == "max");
}

TEST_CASE("update --resources=FILE as Podman passes it") {
  Bundle b("upd");
  b.set_command(kSleeper);
  start_running(b);
  std::string file = b.dir() + "/resources.json";
  write_file(file, R"({"memory":{"limit":41943040},"pids":{"limit":30}})");
  auto u = b.keel({"update", "--resources=" + file, b.id()});
  CHECK_MESSAGE(u.exit_code == 0, u.err);
  CHECK(memory_limit(b) == "41943040");
  CHECK(cgroup_value(b, "pids", "pids.max") == "30");
}

TEST_CASE("a second update keeps the first update's other values") {
  Bundle b("upd");
  b.set_command(kSleeper);
  start_running(b);
  REQUIRE(b.keel({"update", "--memory", "64m", "--pids-limit", "40", b.id()}).exit_code == 0);
  // Someone changes the file behind keel's back; the next update writes the stored set again.
  write_file(cgroup_dir("memory", b.cgroup_path()) +
                 (cgroup_v2_host() ? "/memory.max" : "/memory.limit_in_bytes"),
             "104857600");
  auto u = b.keel({"update", "--cpu-share", "256", b.id()});
  CHECK_MESSAGE(u.exit_code == 0, u.err);
  CHECK(cpu_share(b) == (cgroup_v2_host() ? "10" : "256"));
  CHECK(memory_limit(b) == "67108864");
  CHECK(cgroup_value(b, "pids", "pids.max") == "40");
  std::string state = read_file(b.state_root() + "/" + b.id() + "/state.json");
  CHECK(contains(state, "67108864"));
}

TEST_CASE("update on a stopped container: container not running") {
  Bundle b("upd");
  b.set_command("true");
  run_to_stopped(b);
  auto u = b.keel({"update", "--memory", "64m", b.id()});
  CHECK(u.exit_code == 1);
  CHECK(contains(u.err, "container not running"));
}

TEST_CASE("update with runc's value errors and Intel RDT checks") {
  Bundle b("upd");
  b.set_command(kSleeper);
  start_running(b);
  auto bad_size = b.keel({"update", "--memory", "abc", b.id()});
  CHECK(bad_size.exit_code == 1);
  CHECK(contains(bad_size.err, "invalid value for memory: invalid size: 'abc'"));
  auto bad_share = b.keel({"update", "--cpu-share", "x", b.id()});
  CHECK(contains(bad_share.err,
                 "invalid value for cpu-share: strconv.ParseUint: parsing \\\"x\\\": invalid "
                 "syntax"));
  // This VM has no resctrl: runc's wording when the host lacks CAT / MBA.
  auto l3 = b.keel({"update", "--l3-cache-schema", "L3:0=f", b.id()});
  CHECK(l3.exit_code == 1);
  CHECK(contains(l3.err, "Intel RDT/CAT: l3 cache schema is not enabled"));
  auto mbw = b.keel({"update", "--mem-bw-schema", "MB:0=70", b.id()});
  CHECK(contains(mbw.err, "Intel RDT/MBA: memory bandwidth schema is not enabled"));
  auto missing = b.keel({"update", "--memory", "64m", "nope-" + b.id()});
  CHECK(contains(missing.err, "container does not exist"));
}
