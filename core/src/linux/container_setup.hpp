// The init's setup steps that belong to other areas (rootfs, process attributes, hooks,
// seccomp), wrapped so init_main.cpp reads as the sequence DESIGN.md describes.
#pragma once

#include "init_context.hpp"
#include "keel/error.hpp"

namespace keel::runtime {

enum class HookStage { create_container, start_container };

// Mounts, devices and propagation in the new mount namespace, before pivot_root.
Result<void> prepare_rootfs(InitContext& ctx);
// pivot_root (or chroot with --no-pivot), then masked/readonly paths and the final remounts.
Result<void> enter_rootfs(InitContext& ctx);
// Credentials, capabilities, rlimits, scheduling, cwd...: everything that can still fail before
// the container is reported as created. Installs seccomp here when no_new_privileges is unset
// (the filter needs CAP_SYS_ADMIN then, which the capability drop removes).
Result<void> apply_process_attributes(InitContext& ctx);
// After start: closes inherited fds and installs seccomp when no_new_privileges is set.
Result<void> finish_process_before_exec(InitContext& ctx);
Result<void> run_hooks_in_container(InitContext& ctx, HookStage stage);
Result<void> exec_container_process(InitContext& ctx);

}  // namespace keel::runtime
