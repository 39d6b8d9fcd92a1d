// Dispatch: v2 writes everything into the unified dir; v1 and hybrid write per controller.
#include "keel/cgroup/writers.hpp"

namespace keel::cgroup {

Result<void> set_resources(const CgroupSet& set, const Resources& r, const SetOptions& opts) {
  if (set.mode == Mode::v2) {
    auto it = set.dirs.find("unified");
    if (it == set.dirs.end()) return fail("cgroup v2 set without a unified directory", ENOENT);
    return set_v2(it->second, r, opts);
  }
  return set_v1(set, r, opts);
}

}  // namespace keel::cgroup
