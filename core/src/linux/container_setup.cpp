// The init's setup steps, delegated to keel_rootfs and keel_process.
#include "container_setup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "keel/linux/exec_lookup.hpp"
#include "keel/linux/hooks.hpp"
#include "keel/linux/process.hpp"
#include "keel/linux/rootfs.hpp"
#include "keel/linux/seccomp_install.hpp"
#include "sync_channel.hpp"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace keel::runtime {
namespace {

rootfs::Plan make_plan(const InitContext& ctx) {
  rootfs::Plan plan;
  plan.config = ctx.config;
  plan.rootfs = ctx.rootfs;
  plan.no_pivot = ctx.no_pivot;
  plan.in_user_namespace = ctx.namespaces->has(CLONE_NEWUSER);
  plan.private_network = ctx.namespaces->has(CLONE_NEWNET);
  plan.cgroup_paths = ctx.cgroup_paths;
  plan.cgroup_namespace = ctx.namespaces->has(CLONE_NEWCGROUP);
  plan.mount_label = ctx.labels.mount_option;
  return plan;
}

// The notify listener goes to the runtime, which hands it to the agent at listenerPath: the
// agent's socket is a host path the init can no longer reach after pivot_root.
Result<void> send_listener(int sync_fd, int listener) {
  if (auto r = sync_send_fd(sync_fd, SyncType::listener, listener); !r) return r;
  return sync_expect(sync_fd, SyncType::listener_done);
}

}  // namespace

Result<void> prepare_rootfs(InitContext& ctx) {
  ctx.rootfs_plan = std::make_shared<rootfs::Plan>(make_plan(ctx));
  if (auto r = rootfs::prepare(*ctx.rootfs_plan); !r) return r;
  UniqueFd root(::open(ctx.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys_error("opening rootfs " + ctx.rootfs);
  return process::ensure_cwd(
      root.get(), ctx.config->process->cwd.empty() ? std::string("/") : ctx.config->process->cwd);
}

Result<void> enter_rootfs(InitContext& ctx) {
  return rootfs::pivot(*ctx.rootfs_plan);
}

Result<void> finish_rootfs(InitContext& ctx) {
  return rootfs::finish(*ctx.rootfs_plan);
}

Result<void> apply_process_attributes(InitContext& ctx) {
  process::FinalizeOptions opts;
  if (ctx.config->linux) opts.personality = ctx.config->linux->personality;
  opts.preserve_fds = ctx.preserve_fds;
  if (!ctx.labels.exec.empty())
    opts.on_ready = [&ctx]() -> Result<void> { return apply_exec_labels(ctx.labels); };
  if (ctx.seccomp) {
    opts.install_seccomp = [&ctx]() -> Result<void> {
      auto listener = seccomp::install_filter(ctx.seccomp->bpf, ctx.seccomp->flags,
                                              ctx.seccomp->needs_listener);
      if (!listener) return std::unexpected(listener.error());
      if (*listener) return send_listener(ctx.sync_fd, listener->get());
      return {};
    };
  }
  auto plan = process::finalize(*ctx.config->process, opts);
  if (!plan) return std::unexpected(plan.error());
  ctx.exec_plan = std::make_shared<process::ExecPlan>(std::move(*plan));
  return {};
}

Result<void> run_hooks_in_container(InitContext& ctx, HookStage stage) {
  const auto& hooks = ctx.config->hooks;
  if (!hooks) return {};
  // The state these hooks see carries the init's pid as the container sees it.
  ContainerState st = *ctx.state;
  st.init_pid = ::getpid();
  if (stage == HookStage::create_container)
    return process::run_hooks(hooks->create_container, "createContainer",
                              state_json(st, Status::creating, false));
  return process::run_hooks(hooks->start_container, "startContainer",
                            state_json(st, Status::created, false));
}

Result<void> exec_container_process(InitContext& ctx) {
  return process::exec_process(*ctx.exec_plan);
}

}  // namespace keel::runtime
