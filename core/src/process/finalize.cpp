// The sequence the init runs after pivot_root, in runc's order (see keel/linux/process.hpp).
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "go_errors.hpp"
#include "keel/linux/exec_lookup.hpp"
#include "keel/linux/process.hpp"

namespace keel::process {
namespace {

#define KEEL_TRY(expr)                               \
  do {                                               \
    if (auto r_ = (expr); !r_) {                     \
      return std::unexpected(std::move(r_).error()); \
    }                                                \
  } while (0)

Result<void> call(const std::function<Result<void>()>& step) {
  return step ? step() : Result<void>{};
}

std::string chdir_error(const std::string& cwd, int err) {
  return "chdir to cwd (\"" + cwd + "\") set in config.json failed: " + detail::go_errno_text(err);
}

// Until the user switch: umask, scheduling, no_new_privs, the ready point, early seccomp.
Result<void> before_credentials(const spec::Process& p, const FinalizeOptions& o) {
  umask(p.user.umask.value_or(0022));
  if (p.exec_cpu_affinity) KEEL_TRY(apply_cpu_affinity(0, p.exec_cpu_affinity->final));
  if (p.no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    return sys_error("prctl(SET_NO_NEW_PRIVS)");
  }
  if (p.scheduler) KEEL_TRY(apply_scheduler(*p.scheduler));
  if (p.io_priority) KEEL_TRY(apply_io_priority(*p.io_priority));
  KEEL_TRY(call(o.on_ready));
  // Without no_new_privs installing a filter needs CAP_SYS_ADMIN: do it while we have it.
  if (!p.no_new_privileges) KEEL_TRY(call(o.install_seccomp));
  return {};
}

// runc's finalizeNamespace: fds, cwd, env, bounding set, user, capabilities.
Result<void> switch_credentials(const spec::Process& p, const FinalizeOptions& o, ExecPlan& plan) {
  KEEL_TRY(close_fds_except(3, 2 + o.preserve_fds, FdSweep::cloexec));
  // chdir as root first (the directory may not be searchable by the user); on EACCES/EPERM
  // retry as the user, whose groups may be the ones that grant access.
  bool chdir_pending = !p.cwd.empty();
  if (chdir_pending) {
    if (chdir(p.cwd.c_str()) == 0) {
      chdir_pending = false;
    } else if (errno != EACCES && errno != EPERM) {
      return fail(chdir_error(p.cwd, errno), errno);
    }
  }
  auto env = prepare_env(p.env, p.user.uid);
  if (!env) return std::unexpected(env.error());
  plan.env = std::move(*env);

  const spec::Capabilities caps = p.capabilities.value_or(spec::Capabilities{});
  KEEL_TRY(drop_bounding_set(caps, &plan.warnings));
  if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) return sys_error("unable to set keep caps");
  if (auto r = switch_user(p.user); !r)
    return std::unexpected(r.error().context("unable to setup user"));
  if (chdir_pending && chdir(p.cwd.c_str()) != 0) return fail(chdir_error(p.cwd, errno), errno);
  KEEL_TRY(verify_cwd());
  if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) != 0) return sys_error("unable to clear keep caps");
  return apply_capabilities(caps, &plan.warnings);
}

}  // namespace

Result<ExecPlan> finalize(const spec::Process& p, const FinalizeOptions& o) {
  ExecPlan plan;
  plan.argv = p.args;
  plan.preserve_fds = o.preserve_fds;
  KEEL_TRY(before_credentials(p, o));

  // A uid change clears the parent-death signal; put it back afterwards as runc does.
  int pdeath = 0;
  if (prctl(PR_GET_PDEATHSIG, &pdeath, 0, 0, 0) != 0) return sys_error("can't get pdeath signal");
  KEEL_TRY(switch_credentials(p, o, plan));
  if (pdeath != 0 && prctl(PR_SET_PDEATHSIG, pdeath, 0, 0, 0) != 0) {
    return sys_error("can't restore pdeath signal");
  }

  // Looked up again now that mounts are in place and as the container user, like runc.
  auto path = resolve_executable("/", p);
  if (!path) return std::unexpected(path.error());
  plan.path = std::move(*path);

  // With no_new_privs the filter goes on as late as possible, so few syscalls run under it.
  if (p.no_new_privileges) KEEL_TRY(call(o.install_seccomp));
  if (o.personality) KEEL_TRY(apply_personality(*o.personality, &plan.warnings));
  return plan;
}

Result<void> exec_process(const ExecPlan& plan) {
  // Build the C arrays before closing fds: nothing after the sweep may need one.
  std::vector<char*> argv, envp;
  for (const auto& a : plan.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : plan.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  // Closed, not just CLOEXEC: execve resolves the path (and a script's interpreter) while
  // close-on-exec fds are still open, so /proc/self/fd/N must not reach the host.
  KEEL_TRY(close_fds_except(3, 2 + plan.preserve_fds, FdSweep::close));
  execve(plan.path.c_str(), argv.data(), envp.data());
  return sys_error("exec " + plan.path);
}

}  // namespace keel::process
