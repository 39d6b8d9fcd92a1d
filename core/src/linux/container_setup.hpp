// The init's setup steps that belong to other areas (rootfs, process attributes, hooks,
// seccomp), wrapped so init_main.cpp reads as the sequence DESIGN.md describes.
#pragma once

#include "init_context.hpp"
#include "keel/error.hpp"

namespace keel::runtime {

enum class HookStage { create_container, start_container };

// Mounts, devices and propagation in the new mount namespace, before pivot_root.
Result<void> prepare_rootfs(InitContext& ctx);
// pivot_root (or chroot with --no-pivot).
Result<void> enter_rootfs(InitContext& ctx);
// After hostname and sysctls: masked/readonly paths and the final remounts.
Result<void> finish_rootfs(InitContext& ctx);
// Credentials, capabilities, scheduling, cwd, seccomp...: everything that can still fail before
// the container is reported as created (keel_process's finalize, in runc's order).
Result<void> apply_process_attributes(InitContext& ctx);
Result<void> run_hooks_in_container(InitContext& ctx, HookStage stage);
Result<void> exec_container_process(InitContext& ctx);

}  // namespace keel::runtime
