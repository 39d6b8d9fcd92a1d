// Capabilities: bounding set, effective/permitted/inheritable, ambient. Raw syscalls, no libcap.
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "keel/linux/process.hpp"
#include "keel/spec/names.hpp"

namespace keel::process {
namespace {

// The highest capability the running kernel knows: PR_CAPBSET_READ fails with EINVAL past it.
// A binary search (6 calls) rather than a scan (41), remembered for the process.
int kernel_last_cap() {
  static int cached = -1;
  if (cached >= 0) return cached;
  int known = 0, unknown = 64;  // invariant: `known` is valid, `unknown` is not
  while (unknown - known > 1) {
    int mid = (known + unknown) / 2;
    (prctl(PR_CAPBSET_READ, mid, 0, 0, 0) >= 0 ? known : unknown) = mid;
  }
  return cached = known;
}

// Names -> bit mask of capabilities this kernel has; the others go to `warnings`.
uint64_t to_mask(const std::vector<std::string>& names, int last_cap,
                 std::vector<std::string>* unknown) {
  uint64_t mask = 0;
  for (const auto& name : names) {
    auto cap = spec::names::capability(name);
    if (!cap || *cap > last_cap) {
      if (unknown) unknown->push_back(name);
      continue;
    }
    mask |= uint64_t{1} << *cap;
  }
  return mask;
}

void warn_unknown(std::vector<std::string> unknown, std::vector<std::string>* warnings) {
  if (unknown.empty() || !warnings) return;
  std::string text = "ignoring unknown or unavailable capabilities: [";
  for (size_t i = 0; i < unknown.size(); ++i) text += (i ? " " : "") + unknown[i];
  warnings->push_back(text + "]");
}

std::string cap_label(int cap) {
  auto name = spec::names::name_of(spec::names::capabilities, cap);
  return name.empty() ? std::to_string(cap) : std::string(name);
}

}  // namespace

Result<void> drop_bounding_set(const spec::Capabilities& caps, std::vector<std::string>* warnings) {
  const int last = kernel_last_cap();
  std::vector<std::string> unknown;
  const uint64_t keep = to_mask(caps.bounding, last, &unknown);
  warn_unknown(std::move(unknown), warnings);
  for (int cap = 0; cap <= last; ++cap) {
    if (keep & (uint64_t{1} << cap)) continue;
    // Read only when the drop fails (e.g. no CAP_SETPCAP): a cap already gone is fine.
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && prctl(PR_CAPBSET_READ, cap, 0, 0, 0) != 0) {
      return sys_error("unable to apply bounding set: dropping " + cap_label(cap));
    }
  }
  return {};
}

Result<void> apply_capabilities(const spec::Capabilities& caps,
                                std::vector<std::string>* warnings) {
  const int last = kernel_last_cap();
  std::vector<std::string> unknown;
  const uint64_t effective = to_mask(caps.effective, last, &unknown);
  const uint64_t permitted = to_mask(caps.permitted, last, &unknown);
  // Inheritable stays empty unless the spec lists some (CVE-2022-29162).
  const uint64_t inheritable = to_mask(caps.inheritable, last, &unknown);
  const uint64_t ambient = to_mask(caps.ambient, last, &unknown);
  warn_unknown(std::move(unknown), warnings);

  __user_cap_header_struct header{.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  __user_cap_data_struct data[2] = {};
  for (int i = 0; i < 2; ++i) {
    data[i].effective = static_cast<uint32_t>(effective >> (32 * i));
    data[i].permitted = static_cast<uint32_t>(permitted >> (32 * i));
    data[i].inheritable = static_cast<uint32_t>(inheritable >> (32 * i));
  }
  if (syscall(SYS_capset, &header, data) != 0) return sys_error("unable to apply caps: capset");

  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) {
    return sys_error("unable to apply caps: clearing ambient capabilities");
  }
  for (int cap = 0; cap <= last; ++cap) {
    if (!(ambient & (uint64_t{1} << cap))) continue;
    // The kernel refuses a cap missing from permitted or inheritable; runc only warns.
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) != 0 && warnings) {
      warnings->push_back("can't raise ambient capability " + cap_label(cap) + ": " +
                          std::strerror(errno));
    }
  }
  return {};
}

}  // namespace keel::process
