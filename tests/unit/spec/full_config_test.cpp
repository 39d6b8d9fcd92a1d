// A hand-written config that sets every runtime-spec 1.3 field keel models.
#include <doctest/doctest.h>

#include "keel/spec/parse.hpp"
#include "test_util.hpp"

using namespace keel::spec;
using keel::spec::test::fixture;
using keel::spec::test::read_file;

namespace {

Config full() {
  auto c = parse_config(read_file(fixture("spec-full/config.json")));
  REQUIRE_MESSAGE(c.has_value(), c.error().message);
  return *c;
}

}  // namespace

TEST_CASE("every process field of a full 1.3 config is parsed") {
  const Process p = *full().process;
  CHECK(p.terminal);
  REQUIRE(p.console_size);
  CHECK(p.console_size->height == 25);
  CHECK(p.console_size->width == 80);
  CHECK(p.user.uid == 1000);
  CHECK(p.user.gid == 1001);
  CHECK(p.user.umask == 18u);
  CHECK(p.user.additional_gids == std::vector<uint32_t>{5, 6});
  CHECK(p.user.username == "alice");
  CHECK(p.args == std::vector<std::string>{"/bin/sh", "-c", "echo hi"});
  CHECK(p.command_line == "sh -c echo");
  CHECK(p.env == std::vector<std::string>{"PATH=/usr/bin:/bin", "EMPTY="});
  CHECK(p.cwd == "/work");
  REQUIRE(p.capabilities);
  CHECK(p.capabilities->bounding ==
        std::vector<std::string>{"CAP_CHOWN", "CAP_CHECKPOINT_RESTORE"});
  CHECK(p.capabilities->effective == std::vector<std::string>{"CAP_KILL"});
  CHECK(p.capabilities->inheritable == std::vector<std::string>{"CAP_BPF"});
  CHECK(p.capabilities->permitted == std::vector<std::string>{"CAP_KILL", "CAP_NET_RAW"});
  CHECK(p.capabilities->ambient == std::vector<std::string>{"CAP_PERFMON"});
  REQUIRE(p.rlimits.size() == 2);
  CHECK(p.rlimits[0] == Rlimit{"RLIMIT_NOFILE", 1024, 4096});
  CHECK(p.rlimits[1] == Rlimit{"RLIMIT_RTTIME", 0, UINT64_MAX});
  CHECK(p.no_new_privileges);
  CHECK(p.apparmor_profile == "keel-default");
  CHECK(p.oom_score_adj == -500);
  REQUIRE(p.scheduler);
  CHECK(p.scheduler->policy == "SCHED_DEADLINE");
  CHECK(p.scheduler->nice == -5);
  CHECK_FALSE(p.scheduler->priority);
  CHECK(p.scheduler->flags == std::vector<std::string>{"SCHED_FLAG_RESET_ON_FORK"});
  CHECK(p.scheduler->runtime == 1000u);
  CHECK(p.scheduler->deadline == 2000u);
  CHECK(p.scheduler->period == 3000u);
  CHECK(p.selinux_label == "system_u:system_r:container_t:s0");
  REQUIRE(p.io_priority);
  CHECK(p.io_priority->io_class == "IOPRIO_CLASS_BE");
  CHECK(p.io_priority->priority == 4);
  REQUIRE(p.exec_cpu_affinity);
  CHECK(p.exec_cpu_affinity->initial == "0-1,3");
  CHECK(p.exec_cpu_affinity->final == "2");
}

TEST_CASE("every top-level field of a full 1.3 config is parsed") {
  const Config c = full();
  CHECK(c.oci_version == "1.3.0");
  REQUIRE(c.root);
  CHECK(c.root->path == "rootfs");
  CHECK(c.root->readonly);
  CHECK(c.hostname == "box");
  CHECK(c.domainname == "example.org");
  REQUIRE(c.mounts.size() == 3);
  CHECK(c.mounts[0].destination == "/proc");
  CHECK(c.mounts[0].type == "proc");
  CHECK(c.mounts[0].source == "proc");
  CHECK(c.mounts[0].options == std::vector<std::string>{"nosuid", "noexec"});
  CHECK(c.mounts[1].uid_mappings == std::vector<IdMapping>{{0, 100000, 65536}});
  CHECK(c.mounts[1].gid_mappings == std::vector<IdMapping>{{0, 200000, 65536}});
  // A relative destination is accepted like runc does and stored relative to "/".
  CHECK(c.mounts[2].destination == "/relative/dir");
  REQUIRE(c.hooks);
  REQUIRE(c.hooks->prestart.size() == 1);
  CHECK(c.hooks->prestart[0].path == "/usr/bin/pre");
  CHECK(c.hooks->prestart[0].args == std::vector<std::string>{"pre", "1"});
  CHECK(c.hooks->prestart[0].env == std::vector<std::string>{"A=1"});
  CHECK(c.hooks->prestart[0].timeout == 5);
  CHECK(c.hooks->create_runtime[0].path == "/usr/bin/cr");
  CHECK(c.hooks->create_container[0].path == "/usr/bin/cc");
  CHECK(c.hooks->start_container[0].path == "/usr/bin/sc");
  CHECK(c.hooks->poststart[0].path == "/usr/bin/ps");
  CHECK(c.hooks->poststop[0].timeout == 1);
  CHECK(c.annotations ==
        std::map<std::string, std::string>{{"empty", ""}, {"org.example.key", "value"}});
}

TEST_CASE("every linux field of a full 1.3 config is parsed") {
  const Config c = full();
  REQUIRE(c.linux);
  const Linux& l = *c.linux;
  CHECK(l.uid_mappings == std::vector<IdMapping>{{0, 100000, 65536}});
  CHECK(l.gid_mappings == std::vector<IdMapping>{{0, 200000, 65536}});
  CHECK(l.sysctl.size() == 5);
  CHECK(l.sysctl.at("net.ipv4.ip_forward") == "1");
  CHECK(l.cgroups_path == "/keel-test/full");
  REQUIRE(l.namespaces.size() == 8);
  CHECK(l.namespaces[7].type == "time");
  REQUIRE(l.devices.size() == 2);
  CHECK(l.devices[0].path == "/dev/fuse");
  CHECK(l.devices[0].type == "c");
  CHECK(l.devices[0].major == 10);
  CHECK(l.devices[0].minor == 229);
  CHECK(l.devices[0].file_mode == 0666u);
  CHECK(l.devices[0].uid == 0u);
  CHECK(l.devices[0].gid == 0u);
  CHECK(l.devices[1].type == "p");
  CHECK(l.rootfs_propagation == "rslave");
  CHECK(l.masked_paths == std::vector<std::string>{"/proc/kcore"});
  CHECK(l.readonly_paths == std::vector<std::string>{"/proc/sys"});
  CHECK(l.mount_label == "system_u:object_r:container_file_t:s0");
  REQUIRE(l.intel_rdt);
  CHECK(l.intel_rdt->clos_id == "clos1");
  CHECK(l.intel_rdt->l3_cache_schema == "L3:0=ff");
  CHECK(l.intel_rdt->mem_bw_schema == "MB:0=50");
  CHECK(l.intel_rdt->schemata == std::vector<std::string>{"L2:0=f"});
  CHECK(l.intel_rdt->enable_monitoring);
  CHECK(l.time_offsets.at("monotonic") == TimeOffset{-86400, 5});
  CHECK(l.time_offsets.at("boottime") == TimeOffset{7, 0});
  REQUIRE(l.personality);
  CHECK(l.personality->domain == "LINUX32");
  REQUIRE(l.memory_policy);
  CHECK(l.memory_policy->mode == "MPOL_INTERLEAVE");
  CHECK(l.memory_policy->nodes == "0-1");
  CHECK(l.memory_policy->flags == std::vector<std::string>{"MPOL_F_STATIC_NODES"});
  CHECK(l.net_devices.at("eth1").name == "net0");
  CHECK(l.net_devices.at("dummy0").name.empty());
}

TEST_CASE("every resources field of a full 1.3 config is parsed") {
  const Config c = full();
  REQUIRE(c.linux->resources);
  const Resources& r = *c.linux->resources;
  REQUIRE(r.devices.size() == 2);
  CHECK(r.devices[0] == DeviceRule{false, "", std::nullopt, std::nullopt, "rwm"});
  CHECK(r.devices[1] == DeviceRule{true, "c", 1, 3, "rw"});
  REQUIRE(r.memory);
  CHECK(r.memory->limit == 536870912);
  CHECK(r.memory->reservation == 268435456);
  CHECK(r.memory->swap == -1);
  CHECK(r.memory->kernel == 1);
  CHECK(r.memory->kernel_tcp == 2);
  CHECK(r.memory->swappiness == 60u);
  CHECK(r.memory->disable_oom_killer == true);
  CHECK(r.memory->use_hierarchy == false);
  CHECK(r.memory->check_before_update == true);
  REQUIRE(r.cpu);
  CHECK(r.cpu->shares == 1024u);
  CHECK(r.cpu->quota == 50000);
  CHECK(r.cpu->burst == 1000u);
  CHECK(r.cpu->period == 100000u);
  CHECK(r.cpu->realtime_runtime == 950000);
  CHECK(r.cpu->realtime_period == 1000000u);
  CHECK(r.cpu->cpus == "0-1");
  CHECK(r.cpu->mems == "0");
  CHECK(r.cpu->idle == 1);
  REQUIRE(r.pids);
  CHECK(r.pids->limit == 100);
  REQUIRE(r.block_io);
  CHECK(r.block_io->weight == 500);
  CHECK(r.block_io->leaf_weight == 300);
  CHECK(r.block_io->weight_device == std::vector<WeightDevice>{{8, 0, 600, 200}});
  CHECK(r.block_io->throttle_read_bps_device == std::vector<ThrottleDevice>{{8, 0, 1000}});
  CHECK(r.block_io->throttle_write_bps_device == std::vector<ThrottleDevice>{{8, 1, 2000}});
  CHECK(r.block_io->throttle_read_iops_device == std::vector<ThrottleDevice>{{8, 2, 30}});
  CHECK(r.block_io->throttle_write_iops_device == std::vector<ThrottleDevice>{{8, 3, 40}});
  CHECK(r.hugepage_limits == std::vector<HugepageLimit>{{"2MB", 209715200}});
  REQUIRE(r.network);
  CHECK(r.network->class_id == 1048577u);
  CHECK(r.network->priorities == std::vector<NetPriority>{{"eth0", 500}});
  CHECK(r.rdma.at("mlx5_1") == Rdma{3, 10000});
  CHECK(r.unified.at("memory.high") == "1G");
  // Fields keel does not model still reach plugins through the raw text.
  CHECK(c.resources_json.find("\"futureController\":{\"knob\":1}") != std::string::npos);
}

TEST_CASE("every seccomp field of a full 1.3 config is parsed") {
  const Config c = full();
  REQUIRE(c.linux->seccomp);
  const Seccomp& s = *c.linux->seccomp;
  CHECK(s.default_action == "SCMP_ACT_ERRNO");
  CHECK(s.default_errno_ret == 1u);
  CHECK(s.architectures ==
        std::vector<std::string>{"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"});
  CHECK(s.flags ==
        std::vector<std::string>{"SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"});
  CHECK(s.listener_path == "/run/seccomp-agent.sock");
  CHECK(s.listener_metadata == "meta");
  REQUIRE(s.syscalls.size() == 4);
  CHECK(s.syscalls[0].names == std::vector<std::string>{"read", "write"});
  CHECK(s.syscalls[1].args ==
        std::vector<SeccompArg>{{0, 8, 0, "SCMP_CMP_EQ"}, {1, 255, 8, "SCMP_CMP_MASKED_EQ"}});
  CHECK(s.syscalls[2].action == "SCMP_ACT_NOTIFY");
  CHECK(s.syscalls[3].errno_ret == 38u);
  CHECK(c.seccomp_json.starts_with("{\"defaultAction\":\"SCMP_ACT_ERRNO\""));
}

TEST_CASE("a full 1.3 config round-trips through to_json") {
  const Config c = full();
  auto again = parse_config(to_json(c));
  REQUIRE_MESSAGE(again.has_value(), again.error().message);
  CHECK(*again == c);

  // Without the raw text the typed model alone is written, and reads back the same.
  Config typed = c;
  typed.resources_json.clear();
  typed.seccomp_json.clear();
  auto from_typed = parse_config(to_json(typed));
  REQUIRE_MESSAGE(from_typed.has_value(), from_typed.error().message);
  CHECK(from_typed->linux == c.linux);
  CHECK(from_typed->resources_json == to_json(*c.linux->resources));
  CHECK(from_typed->seccomp_json == to_json(*c.linux->seccomp));
}

TEST_CASE("a minimal config leaves every optional field unset") {
  auto c = parse_config(R"({"ociVersion":"1.0.0","root":{"path":"/r"}})");
  REQUIRE_MESSAGE(c.has_value(), c.error().message);
  CHECK_FALSE(c->process);
  CHECK_FALSE(c->linux);
  CHECK_FALSE(c->hooks);
  CHECK(c->mounts.empty());
  CHECK(c->resources_json.empty());
  CHECK(c->seccomp_json.empty());
  CHECK(to_json(*c) == R"({"ociVersion":"1.0.0","root":{"path":"/r"}})");
}

TEST_CASE("JSON null counts as an absent field and duplicate keys keep the last value") {
  auto c = parse_config(
      R"({"ociVersion":"1.0.0","root":{"path":"/r"},"hooks":null,"linux":{"seccomp":null,)"
      R"("cgroupsPath":"/a","cgroupsPath":"/b"},"hostname":null})");
  REQUIRE_MESSAGE(c.has_value(), c.error().message);
  CHECK_FALSE(c->hooks);
  CHECK_FALSE(c->linux->seccomp);
  CHECK(c->seccomp_json.empty());
  CHECK(c->linux->cgroups_path == "/b");
}

TEST_CASE("spec versions 1.0 to 1.3 with -dev and +dev suffixes are accepted") {
  for (const char* v :
       {"1.0.0", "1.0.2-dev", "1.1.0", "1.2.1", "1.3.0", "1.3.0+dev", "1.2.0-rc.1+build.5"}) {
    CAPTURE(v);
    auto c = parse_config(std::string(R"({"ociVersion":")") + v + R"(","root":{"path":"/r"}})");
    CHECK_MESSAGE(c.has_value(), (c ? "" : c.error().message));
  }
}

TEST_CASE("a joined user namespace needs no mappings and a relative cgroupsPath may use ..") {
  auto c = parse_config(
      R"({"ociVersion":"1.0.0","root":{"path":"/r"},"linux":{"cgroupsPath":"a/b/../c",)"
      R"("namespaces":[{"type":"user","path":"/proc/1/ns/user"},{"type":"network"}],)"
      R"("sysctl":{"net.core.somaxconn":"1024"}}})");
  CHECK_MESSAGE(c.has_value(), (c ? "" : c.error().message));
}
