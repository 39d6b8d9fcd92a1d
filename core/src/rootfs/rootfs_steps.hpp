// The steps prepare(), pivot() and finish() are made of, in the order they run.
#pragma once

#include <string>

#include "keel/linux/rootfs.hpp"

namespace keel::rootfs::detail {

// linux.rootfsPropagation -> MS_* flags.
Result<unsigned long> root_propagation(const std::string& name);
// "/" rslave (or rootfsPropagation), the rootfs's parent mount private, rootfs bound on itself.
Result<void> prepare_root(const Plan& plan);
// pivot_root or MS_MOVE + chroot, then stdio on the container's /dev/null.
Result<void> enter_root(const Plan& plan, bool dev_was_set_up);

// After pivot, with root_fd an O_PATH fd of "/".
Result<void> make_readonly_path(int root_fd, const std::string& path);
// `dev_null`: the verified /dev/null, opened by the first mask that needs it and kept for the
// others (the fd pins the device that was checked).
Result<void> mask_path(int root_fd, const std::string& path, const std::string& label,
                       UniqueFd& dev_null);

}  // namespace keel::rootfs::detail
