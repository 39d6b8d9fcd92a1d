// Name tables shared by the parser, the runtime and `keel features`: capabilities, rlimits,
// namespaces, seccomp names and the mount options keel understands. Header-only and constexpr so
// plugins can use them without linking keel_spec.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace keel::spec::names {

struct NameValue {
  std::string_view name;
  int value;
};

// Looks `name` up in a table; nullopt when unknown.
template <std::size_t N>
constexpr std::optional<int> lookup(const std::array<NameValue, N>& table, std::string_view name) {
  for (const auto& e : table)
    if (e.name == name) return e.value;
  return std::nullopt;
}

// The reverse lookup; empty when the value has no name.
template <std::size_t N>
constexpr std::string_view name_of(const std::array<NameValue, N>& table, int value) {
  for (const auto& e : table)
    if (e.value == value) return e.name;
  return {};
}

template <std::size_t N>
constexpr bool contains(const std::array<std::string_view, N>& list, std::string_view name) {
  for (auto e : list)
    if (e == name) return true;
  return false;
}

// All 41 capabilities known to Linux up to 6.x (CAP_LAST_CAP == 40), indexed by number.
inline constexpr std::array<NameValue, 41> capabilities{{
    {"CAP_CHOWN", 0},
    {"CAP_DAC_OVERRIDE", 1},
    {"CAP_DAC_READ_SEARCH", 2},
    {"CAP_FOWNER", 3},
    {"CAP_FSETID", 4},
    {"CAP_KILL", 5},
    {"CAP_SETGID", 6},
    {"CAP_SETUID", 7},
    {"CAP_SETPCAP", 8},
    {"CAP_LINUX_IMMUTABLE", 9},
    {"CAP_NET_BIND_SERVICE", 10},
    {"CAP_NET_BROADCAST", 11},
    {"CAP_NET_ADMIN", 12},
    {"CAP_NET_RAW", 13},
    {"CAP_IPC_LOCK", 14},
    {"CAP_IPC_OWNER", 15},
    {"CAP_SYS_MODULE", 16},
    {"CAP_SYS_RAWIO", 17},
    {"CAP_SYS_CHROOT", 18},
    {"CAP_SYS_PTRACE", 19},
    {"CAP_SYS_PACCT", 20},
    {"CAP_SYS_ADMIN", 21},
    {"CAP_SYS_BOOT", 22},
    {"CAP_SYS_NICE", 23},
    {"CAP_SYS_RESOURCE", 24},
    {"CAP_SYS_TIME", 25},
    {"CAP_SYS_TTY_CONFIG", 26},
    {"CAP_MKNOD", 27},
    {"CAP_LEASE", 28},
    {"CAP_AUDIT_WRITE", 29},
    {"CAP_AUDIT_CONTROL", 30},
    {"CAP_SETFCAP", 31},
    {"CAP_MAC_OVERRIDE", 32},
    {"CAP_MAC_ADMIN", 33},
    {"CAP_SYSLOG", 34},
    {"CAP_WAKE_ALARM", 35},
    {"CAP_BLOCK_SUSPEND", 36},
    {"CAP_AUDIT_READ", 37},
    {"CAP_PERFMON", 38},
    {"CAP_BPF", 39},
    {"CAP_CHECKPOINT_RESTORE", 40},
}};
inline constexpr int kLastCap = 40;

constexpr std::optional<int> capability(std::string_view name) {
  return lookup(capabilities, name);
}

// RLIMIT_* names and their resource numbers (asm-generic/resource.h, x86 and arm64 alike).
inline constexpr std::array<NameValue, 16> rlimits{{
    {"RLIMIT_CPU", 0},
    {"RLIMIT_FSIZE", 1},
    {"RLIMIT_DATA", 2},
    {"RLIMIT_STACK", 3},
    {"RLIMIT_CORE", 4},
    {"RLIMIT_RSS", 5},
    {"RLIMIT_NPROC", 6},
    {"RLIMIT_NOFILE", 7},
    {"RLIMIT_MEMLOCK", 8},
    {"RLIMIT_AS", 9},
    {"RLIMIT_LOCKS", 10},
    {"RLIMIT_SIGPENDING", 11},
    {"RLIMIT_MSGQUEUE", 12},
    {"RLIMIT_NICE", 13},
    {"RLIMIT_RTPRIO", 14},
    {"RLIMIT_RTTIME", 15},
}};

constexpr std::optional<int> rlimit(std::string_view name) {
  return lookup(rlimits, name);
}

// An OCI namespace type with its clone flag and its file under /proc/<pid>/ns/.
struct NamespaceName {
  std::string_view type;     // "network"
  int clone_flag;            // CLONE_NEWNET
  std::string_view proc_ns;  // "net"
};

// Values of CLONE_NEW* from linux/sched.h, spelled out so this header needs no kernel headers.
inline constexpr std::array<NamespaceName, 8> namespaces{{
    {"pid", 0x20000000, "pid"},
    {"network", 0x40000000, "net"},
    {"mount", 0x00020000, "mnt"},
    {"ipc", 0x08000000, "ipc"},
    {"uts", 0x04000000, "uts"},
    {"user", 0x10000000, "user"},
    {"cgroup", 0x02000000, "cgroup"},
    {"time", 0x00000080, "time"},
}};

constexpr const NamespaceName* namespace_by_type(std::string_view type) {
  for (const auto& n : namespaces)
    if (n.type == type) return &n;
  return nullptr;
}

// Seccomp names as the runtime-spec spells them.
inline constexpr auto seccomp_actions = std::to_array<std::string_view>(
    {"SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_TRAP",
     "SCMP_ACT_ERRNO", "SCMP_ACT_TRACE", "SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_NOTIFY"});

inline constexpr auto seccomp_operators =
    std::to_array<std::string_view>({"SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
                                     "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ"});

inline constexpr auto seccomp_architectures = std::to_array<std::string_view>(
    {"SCMP_ARCH_X86",     "SCMP_ARCH_X86_64",   "SCMP_ARCH_X32",         "SCMP_ARCH_ARM",
     "SCMP_ARCH_AARCH64", "SCMP_ARCH_MIPS",     "SCMP_ARCH_MIPS64",      "SCMP_ARCH_MIPS64N32",
     "SCMP_ARCH_MIPSEL",  "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
     "SCMP_ARCH_PPC64",   "SCMP_ARCH_PPC64LE",  "SCMP_ARCH_S390",        "SCMP_ARCH_S390X",
     "SCMP_ARCH_PARISC",  "SCMP_ARCH_PARISC64", "SCMP_ARCH_RISCV64",     "SCMP_ARCH_LOONGARCH64",
     "SCMP_ARCH_M68K",    "SCMP_ARCH_SH",       "SCMP_ARCH_SHEB"});

inline constexpr auto seccomp_flags = std::to_array<std::string_view>(
    {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
     "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"});

// Scheduling (sched_setattr(2)), I/O priority, personality and NUMA memory policy names.
// Order is load-bearing: a policy's index is its SCHED_* number, a flag's index is its bit
// (SCHED_FLAG_RESET_ON_FORK == 1 << 0 ... SCHED_FLAG_UTIL_CLAMP_MAX == 1 << 6).
inline constexpr auto scheduler_policies =
    std::to_array<std::string_view>({"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR", "SCHED_BATCH",
                                     "SCHED_ISO", "SCHED_IDLE", "SCHED_DEADLINE"});

inline constexpr auto scheduler_flags = std::to_array<std::string_view>(
    {"SCHED_FLAG_RESET_ON_FORK", "SCHED_FLAG_RECLAIM", "SCHED_FLAG_DL_OVERRUN",
     "SCHED_FLAG_KEEP_POLICY", "SCHED_FLAG_KEEP_PARAMS", "SCHED_FLAG_UTIL_CLAMP_MIN",
     "SCHED_FLAG_UTIL_CLAMP_MAX"});

inline constexpr std::array<NameValue, 3> io_priority_classes{{
    {"IOPRIO_CLASS_RT", 1},
    {"IOPRIO_CLASS_BE", 2},
    {"IOPRIO_CLASS_IDLE", 3},
}};

// personality(2) domains: PER_LINUX and PER_LINUX32.
inline constexpr std::array<NameValue, 2> personality_domains{{
    {"LINUX", 0x0000},
    {"LINUX32", 0x0008},
}};

inline constexpr std::array<NameValue, 7> memory_policy_modes{{
    {"MPOL_DEFAULT", 0},
    {"MPOL_PREFERRED", 1},
    {"MPOL_BIND", 2},
    {"MPOL_INTERLEAVE", 3},
    {"MPOL_LOCAL", 4},
    {"MPOL_PREFERRED_MANY", 5},
    {"MPOL_WEIGHTED_INTERLEAVE", 6},
}};

inline constexpr std::array<NameValue, 3> memory_policy_flags{{
    {"MPOL_F_NUMA_BALANCING", 1 << 13},
    {"MPOL_F_RELATIVE_NODES", 1 << 14},
    {"MPOL_F_STATIC_NODES", 1 << 15},
}};

// linux.rootfsPropagation values.
inline constexpr auto propagations = std::to_array<std::string_view>(
    {"shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable"});

// Time namespace clocks accepted in linux.timeOffsets (/proc/<pid>/timens_offsets).
inline constexpr auto time_clocks = std::to_array<std::string_view>({"monotonic", "boottime"});

// Mount options keel interprets itself (runc's KnownMountOptions plus idmap/ridmap), sorted, for
// `keel features`. Any other option is passed to the filesystem as mount data.
inline constexpr auto mount_options =
    std::to_array<std::string_view>({"async",         "atime",        "bind",
                                     "defaults",      "dev",          "diratime",
                                     "dirsync",       "exec",         "idmap",
                                     "iversion",      "lazytime",     "loud",
                                     "mand",          "noatime",      "nodev",
                                     "nodiratime",    "noexec",       "noiversion",
                                     "nolazytime",    "nomand",       "norelatime",
                                     "nostrictatime", "nosuid",       "nosymfollow",
                                     "private",       "ratime",       "rbind",
                                     "rdev",          "rdiratime",    "relatime",
                                     "remount",       "rexec",        "ridmap",
                                     "rnoatime",      "rnodev",       "rnodiratime",
                                     "rnoexec",       "rnorelatime",  "rnostrictatime",
                                     "rnosuid",       "rnosymfollow", "ro",
                                     "rprivate",      "rrelatime",    "rro",
                                     "rrw",           "rshared",      "rslave",
                                     "rstrictatime",  "rsuid",        "rsymfollow",
                                     "runbindable",   "rw",           "shared",
                                     "silent",        "slave",        "strictatime",
                                     "suid",          "symfollow",    "sync",
                                     "tmpcopyup",     "unbindable"});

}  // namespace keel::spec::names
