// "tmpcopyup": a new tmpfs starts with a copy of what the directory held before it was mounted.
#pragma once

#include "keel/error.hpp"

namespace keel::rootfs::detail {

// Copies the tree below directory `src_fd` into directory `dst_fd` (modes, owners, symlinks,
// device nodes), never following a symlink. Both fds may be O_PATH.
Result<void> copy_tree(int src_fd, int dst_fd);

}  // namespace keel::rootfs::detail
