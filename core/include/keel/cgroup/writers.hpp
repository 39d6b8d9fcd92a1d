// Writes linux.resources into a container's cgroup files, v1 and v2 spellings.
// Takes the CgroupSet (dirs per controller), so tests point it at a temp dir.
#pragma once

#include "keel/cgroup/paths.hpp"
#include "keel/cgroup/resources.hpp"
#include "keel/error.hpp"

namespace keel::cgroup {

struct SetOptions {
  // At create, an absent "devices" list still means "deny all but runc's defaults".
  bool at_create = false;
  // Skip attaching the eBPF device filter (unit tests on plain directories).
  bool skip_device_bpf = false;
};

Result<void> set_resources(const CgroupSet& set, const Resources& r, const SetOptions& opts = {});

// Per-hierarchy writers, used by set_resources and by tests.
Result<void> set_v1(const CgroupSet& set, const Resources& r, const SetOptions& opts);
Result<void> set_v2(const std::string& dir, const Resources& r, const SetOptions& opts);
// Hugetlb and raw "unified" keys for a v2 dir (also used for the hybrid unified dir).
Result<void> set_v2_hugetlb(const std::string& dir, const std::vector<HugepageLimit>& limits);
Result<void> set_v2_unified(const std::string& dir, const std::map<std::string, std::string>& kv);

}  // namespace keel::cgroup
