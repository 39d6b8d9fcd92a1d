// Malformed and invalid input: every case is refused with an error naming the JSON path, and none
// crashes (RapidJSON asserts are never reached, nothing throws, deep nesting is handled).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "keel/spec/parse.hpp"

using namespace keel::spec;

namespace {

// A valid config; the extras are appended after the defaults of the same object, and the last of
// duplicated keys wins (as with Go), so an extra can override a default.
std::string cfg(std::string_view process = "", std::string_view linux = "",
                std::string_view top = "") {
  std::string s = R"({"ociVersion":"1.0.2-dev","root":{"path":"rootfs"},)";
  s += R"("process":{"args":["sh"],"cwd":"/")";
  if (!process.empty()) s += std::string(",") += process;
  s += R"(},"linux":{"namespaces":[{"type":"mount"},{"type":"pid"}])";
  if (!linux.empty()) s += std::string(",") += linux;
  s += "}";
  if (!top.empty()) s += std::string(",") += top;
  return s + "}";
}

struct Case {
  const char* what;
  std::string json;
  std::string error;  // expected to appear in the message
};

std::vector<Case> cases() {
  const std::string ns_uts = R"("namespaces":[{"type":"mount"},{"type":"uts"}])";
  return {
      // JSON syntax and encoding.
      {"truncated JSON", R"({"ociVersion":"1.0.0","root":{"path":"/r")",
       "config.json: line 1 column 42: invalid JSON: Missing a comma or '}' after an object "
       "member."},
      {"missing comma reports line and column", "{\n  \"ociVersion\": \"1.0.0\"\n  \"root\": {}\n}",
       "config.json: line 3 column 3: invalid JSON: Missing a comma or '}'"},
      {"empty document", "", "config.json: line 1 column 1: invalid JSON: The document is empty."},
      {"trailing garbage", cfg() + " x", "invalid JSON: The document root must not be followed"},
      {"document is an array", "[]", "config.json: expected a JSON object"},
      {"invalid UTF-8", cfg("", "", "\"hostname\":\"\xff\xfe\""),
       "invalid JSON: Invalid encoding in string."},
      {"NaN is not JSON", cfg(R"("oomScoreAdj":NaN)"), "invalid JSON"},
      // Top level.
      {"ociVersion missing", R"({"root":{"path":"/r"}})",
       "config.json: ociVersion: missing required field"},
      {"ociVersion a number", R"({"ociVersion":1,"root":{"path":"/r"}})",
       "config.json: ociVersion: expected a string"},
      {"ociVersion 2.0.0", R"({"ociVersion":"2.0.0","root":{"path":"/r"}})",
       "config.json: ociVersion: unsupported spec version \"2.0.0\" (keel supports 1.x)"},
      {"ociVersion not semver", R"({"ociVersion":"1.0","root":{"path":"/r"}})",
       "config.json: ociVersion: invalid version \"1.0\""},
      {"ociVersion leading zero", R"({"ociVersion":"1.02.0","root":{"path":"/r"}})",
       "ociVersion: invalid version"},
      {"root missing", R"({"ociVersion":"1.0.0"})", "config.json: root: root must be specified"},
      {"root an array", cfg("", "", R"("root":[])"), "config.json: root: expected an object"},
      {"root.path empty", cfg("", "", R"("root":{"path":""})"),
       "config.json: root.path: root path must not be empty"},
      {"root.path missing", cfg("", "", R"("root":{"readonly":true})"),
       "config.json: root.path: missing required field"},
      {"root.readonly a string", cfg("", "", R"("root":{"path":"/r","readonly":"yes"})"),
       "config.json: root.readonly: expected a boolean"},
      {"hostname without a UTS namespace", cfg("", "", R"("hostname":"h")"),
       "config.json: hostname: unable to set hostname without a private UTS namespace"},
      {"domainname without a UTS namespace", cfg("", "", R"("domainname":"d")"),
       "config.json: domainname: unable to set domainname without a private UTS namespace"},
      {"hostname a number", cfg("", ns_uts, R"("hostname":5)"),
       "config.json: hostname: expected a string"},
      {"annotation value a number", cfg("", "", R"("annotations":{"a.b":1})"),
       "config.json: annotations[\"a.b\"]: expected a string"},
      // Process.
      {"process a string", cfg("", "", R"("process":"sh")"),
       "config.json: process: expected an object"},
      {"args a string", cfg(R"("args":"sh")"), "config.json: process.args: expected an array"},
      {"args element a number", cfg(R"("args":["sh",5])"),
       "config.json: process.args[1]: expected a string"},
      {"args empty", cfg(R"("args":[])"), "config.json: process.args: args must not be empty"},
      {"args with a NUL byte", cfg(R"("args":["s\u0000h"])"),
       "config.json: process.args[0]: string contains a null byte"},
      {"cwd relative", cfg(R"("cwd":"work")"),
       "config.json: process.cwd: Cwd must be an absolute path"},
      {"cwd empty", cfg(R"("cwd":"")"), "config.json: process.cwd: Cwd property must not be empty"},
      {"env entry without =", cfg(R"("env":["A=1","FOO"])"),
       "config.json: process.env[1]: invalid environment variable \"FOO\": missing '='"},
      {"env entry with empty name", cfg(R"("env":["=x"])"),
       "config.json: process.env[0]: invalid environment variable \"=x\": name cannot be empty"},
      {"negative uid", cfg(R"("user":{"uid":-1,"gid":0})"),
       "config.json: process.user.uid: expected an unsigned 32-bit integer"},
      {"uid above 32 bits", cfg(R"("user":{"uid":4294967296})"),
       "config.json: process.user.uid: expected an unsigned 32-bit integer"},
      {"gid a fraction", cfg(R"("user":{"gid":1.5})"),
       "config.json: process.user.gid: expected an unsigned 32-bit integer"},
      {"uid in exponent form", cfg(R"("user":{"uid":1e3})"),
       "config.json: process.user.uid: expected an unsigned 32-bit integer"},
      {"additionalGids element negative", cfg(R"("user":{"additionalGids":[1,-2]})"),
       "config.json: process.user.additionalGids[1]: expected an unsigned 32-bit integer"},
      {"terminal a string", cfg(R"("terminal":"yes")"),
       "config.json: process.terminal: expected a boolean"},
      {"consoleSize width negative", cfg(R"("consoleSize":{"height":1,"width":-3})"),
       "config.json: process.consoleSize.width: expected an unsigned 32-bit integer"},
      {"unknown capability",
       cfg(R"("capabilities":{"bounding":["CAP_CHOWN","CAP_KILL","CAP_BPF","CAP_FOO"]})"),
       "config.json: process.capabilities.bounding[3]: unknown capability \"CAP_FOO\""},
      {"capability beyond CAP_LAST_CAP", cfg(R"("capabilities":{"ambient":["CAP_41"]})"),
       "config.json: process.capabilities.ambient[0]: unknown capability \"CAP_41\""},
      {"capability set an object", cfg(R"("capabilities":{"permitted":{"a":1}})"),
       "config.json: process.capabilities.permitted: expected an array"},
      {"unknown rlimit", cfg(R"("rlimits":[{"type":"RLIMIT_FOO","soft":1,"hard":1}])"),
       "config.json: process.rlimits[0].type: wrong rlimit value: RLIMIT_FOO"},
      {"duplicate rlimit",
       cfg(R"("rlimits":[{"type":"RLIMIT_NOFILE","soft":1,"hard":2},)"
           R"({"type":"RLIMIT_NOFILE","soft":3,"hard":4}])"),
       "config.json: process.rlimits[1].type: duplicate rlimit type \"RLIMIT_NOFILE\""},
      {"rlimit soft negative", cfg(R"("rlimits":[{"type":"RLIMIT_CORE","soft":-1,"hard":0}])"),
       "config.json: process.rlimits[0].soft: expected an unsigned 64-bit integer"},
      {"rlimit type missing", cfg(R"("rlimits":[{"soft":1}])"),
       "config.json: process.rlimits[0].type: missing required field"},
      {"oomScoreAdj a string", cfg(R"("oomScoreAdj":"0")"),
       "config.json: process.oomScoreAdj: expected a 32-bit integer"},
      {"unknown scheduler policy", cfg(R"("scheduler":{"policy":"SCHED_FOO"})"),
       "config.json: process.scheduler.policy: invalid scheduler policy \"SCHED_FOO\""},
      {"scheduler nice out of range", cfg(R"("scheduler":{"policy":"SCHED_OTHER","nice":40})"),
       "config.json: process.scheduler.nice: invalid scheduler.nice: 40"},
      {"scheduler priority for SCHED_OTHER",
       cfg(R"("scheduler":{"policy":"SCHED_OTHER","priority":5})"),
       "config.json: process.scheduler.priority: scheduler.priority can only be specified for "
       "SchedFIFO or SchedRR policy"},
      {"deadline parameters for SCHED_RR", cfg(R"("scheduler":{"policy":"SCHED_RR","runtime":5})"),
       "config.json: process.scheduler: scheduler runtime/deadline/period can only be specified "
       "for SchedDeadline policy"},
      {"unknown scheduler flag", cfg(R"("scheduler":{"policy":"SCHED_RR","flags":["X"]})"),
       "config.json: process.scheduler.flags[0]: invalid scheduler flag \"X\""},
      {"unknown ioPriority class", cfg(R"("ioPriority":{"class":"IOPRIO_CLASS_NONE"})"),
       "config.json: process.ioPriority.class: invalid io priority class: IOPRIO_CLASS_NONE"},
      {"ioPriority out of range", cfg(R"("ioPriority":{"class":"IOPRIO_CLASS_BE","priority":8})"),
       "config.json: process.ioPriority.priority: invalid ioPriority.Priority: 8"},
      {"execCPUAffinity descending range", cfg(R"("execCPUAffinity":{"initial":"3-1"})"),
       "config.json: process.execCPUAffinity.initial: invalid CPU list \"3-1\""},
      {"execCPUAffinity garbage", cfg(R"("execCPUAffinity":{"final":"0,,1"})"),
       "config.json: process.execCPUAffinity.final: invalid CPU list \"0,,1\""},
      // Mounts.
      {"mounts an object", cfg("", "", R"("mounts":{})"), "config.json: mounts: expected an array"},
      {"mount destination missing", cfg("", "", R"("mounts":[{"type":"tmpfs"}])"),
       "config.json: mounts[0].destination: missing required field"},
      {"mount destination a number", cfg("", "", R"("mounts":[{"destination":5}])"),
       "config.json: mounts[0].destination: expected a string"},
      {"mount destination empty", cfg("", "", R"("mounts":[{"destination":""}])"),
       "config.json: mounts[0].destination: mount destination must not be empty"},
      {"mount option empty", cfg("", "", R"("mounts":[{"destination":"/a","options":["ro",""]}])"),
       "config.json: mounts[0].options[1]: invalid mount option \"\""},
      {"mount option with a comma",
       cfg("", "", R"("mounts":[{"destination":"/a","options":["ro,nosuid"]}])"),
       "config.json: mounts[0].options[0]: invalid mount option \"ro,nosuid\""},
      {"idmapped mount without bind",
       cfg("", "", R"("mounts":[{"destination":"/a","source":"/b","options":["idmap"]}])"),
       "config.json: mounts[0]: gidMappings/uidMappings is supported only for mounts with the "
       "option 'bind'"},
      {"mount mapping size negative",
       cfg("", "",
           R"("mounts":[{"destination":"/a","uidMappings":[{"containerID":0,"hostID":1,"size":-1}]}])"),
       "config.json: mounts[0].uidMappings[0].size: expected an unsigned 32-bit integer"},
      // Hooks.
      {"hook path relative", cfg("", "", R"("hooks":{"prestart":[{"path":"bin/hook"}]})"),
       "config.json: hooks.prestart[0].path: hook path \"bin/hook\" is not absolute"},
      {"hook timeout zero",
       cfg("", "", R"("hooks":{"poststop":[{"path":"/h"},{"path":"/h","timeout":0}]})"),
       "config.json: hooks.poststop[1].timeout: timeout must be greater than zero"},
      {"hook path missing", cfg("", "", R"("hooks":{"createRuntime":[{"args":["x"]}]})"),
       "config.json: hooks.createRuntime[0].path: missing required field"},
      // Namespaces.
      {"namespace type a number",
       cfg("", R"("namespaces":[{"type":"mount"},{"type":"pid"},{"type":5}])"),
       "config.json: linux.namespaces[2].type: expected a string"},
      {"unknown namespace", cfg("", R"("namespaces":[{"type":"foo"}])"),
       "config.json: linux.namespaces[0].type: namespace \"foo\" does not exist"},
      {"duplicate namespace", cfg("", R"("namespaces":[{"type":"pid"},{"type":"pid"}])"),
       "config.json: linux.namespaces[1].type: malformed spec file: duplicated ns \"pid\""},
      {"namespace path relative", cfg("", R"("namespaces":[{"type":"network","path":"netns"}])"),
       "config.json: linux.namespaces[0].path: namespace path \"netns\" is not absolute"},
      {"namespace type missing", cfg("", R"("namespaces":[{"path":"/proc/1/ns/net"}])"),
       "config.json: linux.namespaces[0].type: missing required field"},
      {"namespaces an object", cfg("", R"("namespaces":{"type":"pid"})"),
       "config.json: linux.namespaces: expected an array"},
      {"uid mappings without a user namespace",
       cfg("", R"("uidMappings":[{"containerID":0,"hostID":1000,"size":1}])"),
       "config.json: linux.uidMappings: User namespace mappings specified, but USER namespace "
       "isn't enabled in the config"},
      {"new user namespace without mappings",
       cfg("", R"("namespaces":[{"type":"mount"},{"type":"user"}])"),
       "config.json: linux.uidMappings: user namespaces enabled, but no uid mappings found"},
      {"new user namespace without gid mappings",
       cfg("",
           R"("namespaces":[{"type":"user"}],"uidMappings":[{"containerID":0,"hostID":1,"size":1}])"),
       "config.json: linux.gidMappings: user namespaces enabled, but no gid mappings found"},
      {"time offsets without a time namespace",
       cfg("", R"("timeOffsets":{"monotonic":{"secs":1}})"),
       "config.json: linux.timeOffsets: time namespace offsets specified, but time namespace "
       "isn't enabled in the config"},
      {"unknown time offset clock",
       cfg("", R"("namespaces":[{"type":"time"}],"timeOffsets":{"realtime":{"secs":1}})"),
       "config.json: linux.timeOffsets[\"realtime\"]: unknown clock \"realtime\""},
      {"masked paths without a mount namespace",
       cfg("", R"("namespaces":[{"type":"pid"}],"maskedPaths":["/proc/kcore"])"),
       "config.json: linux.maskedPaths: unable to restrict sys entries without a private MNT "
       "namespace"},
      // Sysctl.
      {"ipc sysctl without an ipc namespace", cfg("", R"("sysctl":{"kernel.msgmax":"1"})"),
       "config.json: linux.sysctl[\"kernel.msgmax\"]: sysctl \"kernel.msgmax\" is not allowed in "
       "the hosts ipc namespace"},
      {"mqueue sysctl without an ipc namespace", cfg("", R"("sysctl":{"fs/mqueue/msg_max":"1"})"),
       "config.json: linux.sysctl[\"fs/mqueue/msg_max\"]: sysctl \"fs.mqueue.msg_max\" is not "
       "allowed in the hosts ipc namespace"},
      {"net sysctl without a network namespace", cfg("", R"("sysctl":{"net.ipv4.ip_forward":"1"})"),
       "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: sysctl \"net.ipv4.ip_forward\" not "
       "allowed in host network namespace"},
      {"host-wide sysctl", cfg("", R"("sysctl":{"vm.swappiness":"1"})"),
       "config.json: linux.sysctl[\"vm.swappiness\"]: sysctl \"vm.swappiness\" is not in a "
       "separate kernel namespace"},
      {"kernel.hostname sysctl", cfg("", ns_uts + R"(,"sysctl":{"kernel.hostname":"x"})"),
       "config.json: linux.sysctl[\"kernel.hostname\"]: sysctl \"kernel.hostname\" is not allowed "
       "as it conflicts with the OCI \"hostname\" field"},
      {"sysctl value a number",
       cfg("", R"("namespaces":[{"type":"network"}],"sysctl":{"net.core.somaxconn":1024})"),
       "config.json: linux.sysctl[\"net.core.somaxconn\"]: expected a string"},
      // Devices.
      {"unknown device type",
       cfg("", R"("devices":[{"path":"/dev/x","type":"x","major":1,"minor":1}])"),
       "config.json: linux.devices[0].type: invalid device type \"x\""},
      {"char device without major", cfg("", R"("devices":[{"path":"/dev/x","type":"c"}])"),
       "config.json: linux.devices[0].major: major is required for device type \"c\""},
      {"device path relative",
       cfg("", R"("devices":[{"path":"dev/x","type":"b","major":8,"minor":0}])"),
       "config.json: linux.devices[0].path: device path \"dev/x\" is not absolute"},
      {"device fileMode negative",
       cfg("", R"("devices":[{"path":"/dev/x","type":"p","fileMode":-1}])"),
       "config.json: linux.devices[0].fileMode: expected an unsigned 32-bit integer"},
      // Resources.
      {"device rule without access",
       cfg("", R"("resources":{"devices":[{"allow":false,"access":"rwm"},{"allow":true}]})"),
       "config.json: linux.resources.devices[1].access: device access cannot be empty"},
      {"device rule access letters", cfg("", R"("resources":{"devices":[{"access":"rwx"}]})"),
       "config.json: linux.resources.devices[0].access: invalid device access \"rwx\""},
      {"device rule type", cfg("", R"("resources":{"devices":[{"type":"p","access":"r"}]})"),
       "config.json: linux.resources.devices[0].type: invalid cgroup device type \"p\""},
      {"device rule allow a string",
       cfg("", R"("resources":{"devices":[{"allow":"true","access":"r"}]})"),
       "config.json: linux.resources.devices[0].allow: expected a boolean"},
      {"memory limit a string", cfg("", R"("resources":{"memory":{"limit":"1G"}})"),
       "config.json: linux.resources.memory.limit: expected a 64-bit integer"},
      {"memory limit above int64",
       cfg("", R"("resources":{"memory":{"limit":9223372036854775808}})"),
       "config.json: linux.resources.memory.limit: expected a 64-bit integer"},
      {"cpu shares negative", cfg("", R"("resources":{"cpu":{"shares":-1}})"),
       "config.json: linux.resources.cpu.shares: expected an unsigned 64-bit integer"},
      {"cpu cpus a number", cfg("", R"("resources":{"cpu":{"cpus":1}})"),
       "config.json: linux.resources.cpu.cpus: expected a string"},
      {"blkio weight above 16 bits", cfg("", R"("resources":{"blockIO":{"weight":70000}})"),
       "config.json: linux.resources.blockIO.weight: expected an unsigned 16-bit integer"},
      {"throttle rate negative",
       cfg("",
           R"("resources":{"blockIO":{"throttleReadBpsDevice":[{"major":8,"minor":0,"rate":-5}]}})"),
       "config.json: linux.resources.blockIO.throttleReadBpsDevice[0].rate: expected an unsigned "
       "64-bit integer"},
      {"hugepage limit without pageSize",
       cfg("", R"("resources":{"hugepageLimits":[{"limit":1}]})"),
       "config.json: linux.resources.hugepageLimits[0].pageSize: missing required field"},
      {"pids limit a string", cfg("", R"("resources":{"pids":{"limit":"max"}})"),
       "config.json: linux.resources.pids.limit: expected a 64-bit integer"},
      {"unified an array", cfg("", R"("resources":{"unified":["a"]})"),
       "config.json: linux.resources.unified: expected an object"},
      {"rdma handles negative", cfg("", R"("resources":{"rdma":{"mlx5_1":{"hcaHandles":-1}}})"),
       "config.json: linux.resources.rdma[\"mlx5_1\"].hcaHandles: expected an unsigned 32-bit "
       "integer"},
      {"network classID a string", cfg("", R"("resources":{"network":{"classID":"1"}})"),
       "config.json: linux.resources.network.classID: expected an unsigned 32-bit integer"},
      // Seccomp.
      {"unknown seccomp default action", cfg("", R"("seccomp":{"defaultAction":"SCMP_ACT_FOO"})"),
       "config.json: linux.seccomp.defaultAction: string SCMP_ACT_FOO is not a valid action for "
       "seccomp"},
      {"unknown seccomp rule action",
       cfg("",
           R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a"],"action":"KILL"}]})"),
       "config.json: linux.seccomp.syscalls[0].action: string KILL is not a valid action for "
       "seccomp"},
      {"unknown seccomp operator",
       cfg("", R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a"],)"
               R"("action":"SCMP_ACT_LOG","args":[{"index":0,"value":1,"op":"SCMP_CMP_FOO"}]}]})"),
       "config.json: linux.seccomp.syscalls[0].args[0].op: string SCMP_CMP_FOO is not a valid "
       "operator for seccomp"},
      {"seccomp argument index 6",
       cfg("", R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["a"],)"
               R"("action":"SCMP_ACT_LOG","args":[{"index":6,"value":1,"op":"SCMP_CMP_EQ"}]}]})"),
       "config.json: linux.seccomp.syscalls[0].args[0].index: syscall argument index 6 out of "
       "range"},
      {"unknown seccomp architecture",
       cfg("", R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_VAX"]})"),
       "config.json: linux.seccomp.architectures[0]: string SCMP_ARCH_VAX is not a valid arch for "
       "seccomp"},
      {"unknown seccomp flag",
       cfg("", R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","flags":["SECCOMP_FILTER_FLAG_X"]})"),
       "config.json: linux.seccomp.flags[0]: string SECCOMP_FILTER_FLAG_X is not a valid flag for "
       "seccomp"},
      {"notify as default action",
       cfg("", R"("seccomp":{"defaultAction":"SCMP_ACT_NOTIFY","listenerPath":"/s"})"),
       "config.json: linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default "
       "action"},
      {"notify without a listener",
       cfg("",
           R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir"],"action":"SCMP_ACT_NOTIFY"}]})"),
       "config.json: linux.seccomp.listenerPath: listenerPath is required when SCMP_ACT_NOTIFY is "
       "used"},
      {"notify on write",
       cfg("",
           R"("seccomp":{"defaultAction":"SCMP_ACT_ALLOW","listenerPath":"/s","syscalls":[{"names":["write"],"action":"SCMP_ACT_NOTIFY"}]})"),
       "config.json: linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY cannot be used for the "
       "write syscall"},
      {"seccomp errnoRet negative",
       cfg("", R"("seccomp":{"defaultAction":"SCMP_ACT_ERRNO","defaultErrnoRet":-1})"),
       "config.json: linux.seccomp.defaultErrnoRet: expected an unsigned 32-bit integer"},
      // Other linux fields.
      {"unknown rootfsPropagation", cfg("", R"("rootfsPropagation":"bogus")"),
       "config.json: linux.rootfsPropagation: rootfsPropagation=bogus is not supported"},
      {"relative cgroupsPath escaping", cfg("", R"("cgroupsPath":"../../etc")"),
       "config.json: linux.cgroupsPath: cgroupsPath \"../../etc\" escapes the cgroup root"},
      {"absolute cgroupsPath escaping", cfg("", R"("cgroupsPath":"/a/../../b")"),
       "config.json: linux.cgroupsPath: cgroupsPath \"/a/../../b\" escapes the cgroup root"},
      {"unknown personality domain", cfg("", R"("personality":{"domain":"LINUX64"})"),
       "config.json: linux.personality.domain: invalid personality domain LINUX64"},
      {"unknown memory policy mode", cfg("", R"("memoryPolicy":{"mode":"MPOL_FOO"})"),
       "config.json: linux.memoryPolicy.mode: invalid memory policy mode \"MPOL_FOO\""},
      {"unknown memory policy flag",
       cfg("", R"("memoryPolicy":{"mode":"MPOL_BIND","flags":["MPOL_F_X"]})"),
       "config.json: linux.memoryPolicy.flags[0]: invalid memory policy flag \"MPOL_F_X\""},
      {"intelRdt closID with a slash", cfg("", R"("intelRdt":{"closID":"../x"})"),
       "config.json: linux.intelRdt.closID: invalid intelRdt.ClosID \"../x\""},
      {"netDevices bad host name", cfg("", R"("netDevices":{"a/b":{}})"),
       "config.json: linux.netDevices[\"a/b\"]: invalid network device name \"a/b\""},
      {"netDevices bad new name", cfg("", R"("netDevices":{"eth0":{"name":"way-too-long-name0"}})"),
       "config.json: linux.netDevices[\"eth0\"].name: invalid network device name"},
      {"linux an array", cfg("", "", R"("linux":[])"), "config.json: linux: expected an object"},
  };
}

}  // namespace

TEST_CASE("each malformed or invalid config is refused with its JSON path in the message") {
  const auto table = cases();
  for (const auto& c : table) {
    const std::string what = c.what;
    CAPTURE(what);
    auto r = parse_config(c.json);
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == EINVAL);
    CHECK_MESSAGE(r.error().message.find(c.error) != std::string::npos,
                  "got: " << r.error().message);
  }
  MESSAGE(table.size() << " bad-input cases");
}

TEST_CASE("the base config of the bad-input table is itself valid") {
  auto r = parse_config(cfg());
  CHECK_MESSAGE(r.has_value(), (r ? "" : r.error().message));
}

TEST_CASE("a megabyte-long bogus value gives a short error naming its path") {
  const std::string big(1 << 20, 'A');
  auto r = parse_config(cfg(R"("capabilities":{"bounding":["CAP_)" + big + R"("]})"));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message.starts_with(
      "config.json: process.capabilities.bounding[0]: unknown capability \"CAP_AAAA"));
  CHECK(r.error().message.ends_with("\"..."));
  CHECK(r.error().message.size() < 300);

  auto cwd = parse_config(cfg(R"("cwd":")" + big + R"(")"));
  REQUIRE_FALSE(cwd.has_value());
  CHECK(cwd.error().message == "config.json: process.cwd: Cwd must be an absolute path");
}

TEST_CASE("a megabyte-long valid string is kept whole") {
  const std::string big(1 << 20, 'v');
  auto r = parse_config(cfg(R"("env":["BIG=)" + big + R"("])"));
  REQUIRE_MESSAGE(r.has_value(), r.error().message);
  CHECK(r->process->env[0].size() == big.size() + 4);
}

TEST_CASE("a huge array is walked to the bad element at its end") {
  std::string caps;
  for (int i = 0; i < 200000; ++i) caps += "\"CAP_CHOWN\",";
  auto r = parse_config(cfg(R"("capabilities":{"effective":[)" + caps + R"("CAP_NOPE"]})"));
  REQUIRE_FALSE(r.has_value());
  CHECK(r.error().message ==
        "config.json: process.capabilities.effective[200000]: unknown capability \"CAP_NOPE\"");

  std::string nss;
  for (int i = 0; i < 100000; ++i) nss += R"({"type":"ipc"},)";
  auto dup = parse_config(cfg("", R"("namespaces":[)" + nss + R"({"type":"ipc"}])"));
  REQUIRE_FALSE(dup.has_value());
  CHECK(dup.error().message ==
        "config.json: linux.namespaces[1].type: malformed spec file: duplicated ns \"ipc\"");
}

TEST_CASE("deep nesting neither overflows the stack nor reaches plugins") {
  const int depth = 200000;
  const std::string deep = std::string(depth, '[') + std::string(depth, ']');
  // Ignored where unknown fields are ignored...
  auto ok = parse_config(cfg("", "", R"("x-unknown":)" + deep));
  CHECK_MESSAGE(ok.has_value(), (ok ? "" : ok.error().message));
  // ...but refused inside a subtree handed to plugins as text.
  auto bad = parse_config(cfg("", R"("resources":{"x-future":)" + deep + "}"));
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message == "config.json: linux.resources: JSON nested deeper than 64 levels");
  // And an unclosed one is a syntax error, not a crash.
  auto open = parse_config(std::string(depth, '{'));
  CHECK_FALSE(open.has_value());
}

TEST_CASE("process JSON errors name process.json and the field") {
  auto rel = parse_process(R"({"args":["sh"],"cwd":"tmp"})");
  REQUIRE_FALSE(rel.has_value());
  CHECK(rel.error().message == "process.json: cwd: Cwd must be an absolute path");

  auto caps = parse_process(R"({"args":["sh"],"cwd":"/","capabilities":{"bounding":["CAP_X"]}})");
  REQUIRE_FALSE(caps.has_value());
  CHECK(caps.error().message ==
        "process.json: capabilities.bounding[0]: unknown capability \"CAP_X\"");

  auto no_args = parse_process(R"({"cwd":"/"})");
  REQUIRE_FALSE(no_args.has_value());
  CHECK(no_args.error().message == "process.json: args: args must not be empty");

  auto syntax = parse_process(R"({"args":["sh"],)");
  REQUIRE_FALSE(syntax.has_value());
  CHECK(syntax.error().message.starts_with("process.json: line 1 column 16: invalid JSON: "));

  auto not_object = parse_process("\"sh\"");
  REQUIRE_FALSE(not_object.has_value());
  CHECK(not_object.error().message == "process.json: expected a JSON object");
}
