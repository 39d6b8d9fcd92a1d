// What the container process becomes just before execve: limits, scheduling, credentials,
// capabilities, environment, cwd, and the final fd sweep. One function per concern, plus
// finalize() + exec_process() that apply them in runc's order.
//
// Call order (runc's libcontainer: nsexec, init_linux.go, standard_init_linux.go):
//   runtime process, before clone:   resolve_executable() (exec_lookup.hpp)
//   init, before pivot_root:         ensure_cwd(rootfs_fd, process.cwd)
//   init, before joining/unsharing a user namespace (or the runtime on the init's pid):
//                                    apply_oom_score_adj(), apply_rlimits()
//                                    (inside a user namespace neither can be raised/lowered)
//   init, before joining the cgroup: apply_cpu_affinity(0, execCPUAffinity.initial)
//   init, after pivot_root, masked and readonly paths, hostname, sysctls:
//     auto plan = finalize(process, options);   // runs options.on_ready and
//                                               // options.install_seccomp at runc's points
//     ...close the sync socket, wait on exec.fifo, run startContainer hooks...
//     exec_process(*plan);                      // returns only on failure
//
// finalize() steps, in order:
//   umask (0022 when unset) -> execCPUAffinity.final -> noNewPrivileges -> scheduler ->
//   ioPriority -> on_ready() -> install_seccomp() when !noNewPrivileges -> every fd >= 3 not
//   preserved made CLOEXEC -> chdir(cwd) (retried after the user switch on EACCES/EPERM) ->
//   environment (HOME from the container's /etc/passwd when missing) -> drop bounding set ->
//   PR_SET_KEEPCAPS -> stdio chown, setgroups(additionalGids), setresgid, setresuid -> cwd
//   verified inside the root (CVE-2024-21626) -> clear KEEPCAPS -> capset effective, permitted,
//   inheritable (empty unless listed: CVE-2022-29162) -> ambient cleared then raised ->
//   parent-death signal restored -> args[0] looked up in "/" -> install_seccomp() when
//   noNewPrivileges (as late as possible) -> personality.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "keel/error.hpp"
#include "keel/spec/model.hpp"

namespace keel::process {

// ---- one function per concern ------------------------------------------------------------

// setrlimit via prlimit(pid) for each entry (pid 0 = self). An unknown type is an error
// ("wrong rlimit value: RLIMIT_FOO"), so is a kernel refusal.
Result<void> apply_rlimits(const std::vector<spec::Rlimit>& rlimits, pid_t pid = 0);

// Writes /proc/<pid|self>/oom_score_adj after checking with fstatfs that the opened file is on
// procfs (a bind mount over /proc must not redirect the write: CVE-2025-52881 class).
Result<void> apply_oom_score_adj(int32_t value, pid_t pid = 0);

// sched_setattr(0) with the policy, nice, priority, flags and SCHED_DEADLINE runtime/deadline/
// period of the spec.
Result<void> apply_scheduler(const spec::Scheduler& scheduler);

// ioprio_set(IOPRIO_WHO_PROCESS, self, class << 13 | priority).
Result<void> apply_io_priority(const spec::IoPriority& io_priority);

// sched_setaffinity(pid) to a cpu list such as "0-3,7" (pid 0 = self). Empty list: no-op.
Result<void> apply_cpu_affinity(pid_t pid, const std::string& cpus);

// personality(LINUX or LINUX32). Flags are ignored with a warning, as runc does (the spec
// defines none); the warning is appended to `warnings`.
Result<void> apply_personality(const spec::Personality& personality,
                               std::vector<std::string>* warnings = nullptr);

// Bounding set: PR_CAPBSET_DROP for every capability the kernel has that is not listed.
// Unknown or unavailable names are ignored and reported in `warnings` (runc logs them).
Result<void> drop_bounding_set(const spec::Capabilities& caps,
                               std::vector<std::string>* warnings = nullptr);
// capset(effective, permitted, inheritable), then ambient: clear all, raise each listed one
// (a raise the kernel refuses is a warning, as in runc).
Result<void> apply_capabilities(const spec::Capabilities& caps,
                                std::vector<std::string>* warnings = nullptr);

// Chowns stdio to uid (not /dev/null), setgroups(additionalGids) unless /proc/self/setgroups
// says deny, setresgid(gid), setresuid(uid). Call with PR_SET_KEEPCAPS set to keep capabilities.
Result<void> switch_user(const spec::User& user);

// The environ for execve: NAME=VALUE checked, duplicates collapsed (last wins), HOME added
// from `passwd_path` (the container's /etc/passwd) for uid when missing or empty, "/" when the
// uid has no entry.
Result<std::vector<std::string>> prepare_env(const std::vector<std::string>& env, uint32_t uid,
                                             const std::string& passwd_path = "/etc/passwd");

// Before pivot_root: creates cwd (mode 0755, each missing component) inside the rootfs open at
// rootfs_fd, resolving with RESOLVE_IN_ROOT so a symlink in the image cannot point it outside.
Result<void> ensure_cwd(int rootfs_fd, const std::string& cwd);

// getcwd(2) must name a path under the process's root: the kernel prefixes "(unreachable)"
// when cwd is outside it (e.g. cwd "/proc/self/fd/N" of a leaked host fd: CVE-2024-21626).
Result<void> verify_cwd();

// Every fd >= 3 outside [keep_from, keep_to] is closed (or, with cloexec, marked close-on-exec
// so the caller can still use it until execve). keep_to < keep_from keeps only 0-2.
enum class FdSweep { close, cloexec };
Result<void> close_fds_except(int keep_from, int keep_to, FdSweep how = FdSweep::close);

// ---- the whole sequence ------------------------------------------------------------------

struct FinalizeOptions {
  std::optional<spec::Personality> personality;  // linux.personality
  int preserve_fds = 0;                          // fds 3 .. 3+n-1 stay open (--preserve-fds)
  // After scheduler/ioPriority, before seccomp and the user switch: runc's "sync parent
  // ready" point (the parent applies rlimits/cgroup settings) and where the LSM exec label
  // is set. May be empty.
  std::function<Result<void>()> on_ready;
  // Installs the seccomp filter; called once, before the capability drop when
  // noNewPrivileges is false (needs CAP_SYS_ADMIN), else after everything but personality.
  // Empty when the spec has no seccomp section.
  std::function<Result<void>()> install_seccomp;
};

struct ExecPlan {
  std::string path;               // in-container executable (looked up after the switch)
  std::vector<std::string> argv;  // process.args
  std::vector<std::string> env;   // prepared environ
  int preserve_fds = 0;
  std::vector<std::string> warnings;  // ignored capabilities, personality flags...
};

Result<ExecPlan> finalize(const spec::Process& process, const FinalizeOptions& options);

// Closes every fd >= 3 that is not preserved, then execve(plan.path, plan.argv, plan.env).
// Returns only when execve failed ("exec /bin/x: permission denied").
Result<void> exec_process(const ExecPlan& plan);

}  // namespace keel::process
