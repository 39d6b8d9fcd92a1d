// Device access rules: runc's default allow-list, the device "emulator" that reduces a rule list
// to a default verdict plus exceptions (as the v1 kernel and runc do), the v1 devices.allow/deny
// write sequence and the v2 eBPF (BPF_CGROUP_DEVICE) program generated from the same policy.
#pragma once

#include <linux/bpf.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "keel/cgroup/resources.hpp"
#include "keel/error.hpp"

namespace keel::cgroup {

// The rules runc appends after the spec's: mknod of any c/b, /dev/null, zero, full, random,
// urandom, tty, console, ptmx, pts/*, net/tun.
std::vector<DeviceRule> default_device_rules();
// Spec rules followed by the defaults: what a container's cgroup actually gets.
std::vector<DeviceRule> effective_device_rules(const std::vector<DeviceRule>& spec);

// "c 1:3 rwm", "a *:* rwm".
std::string device_rule_text(const DeviceRule& r);

// What a rule list means once applied in order, as runc's devices emulator computes it:
// a type 'a' rule (whatever its numbers and access) resets to allow-all or deny-all; any other
// rule adds or removes access on the exception with exactly its (type, major, minor), so
// "c 1:3 r" then "c 1:3 w" is one exception "c 1:3 rw". Removing access that a wildcard
// exception grants ("c 1:* rwm" then deny "c 1:3 w") is refused, as runc refuses it.
struct DevicePolicy {
  bool default_allow = false;          // a new rule list starts as deny-all
  std::vector<DeviceRule> exceptions;  // allow == !default_allow, sorted, access never empty
};
Result<DevicePolicy> compile_device_rules(const std::vector<DeviceRule>& rules);

// v1: "a" to devices.allow or devices.deny (the default), then every exception to the other file.
std::vector<std::pair<std::string, std::string>> v1_device_writes(const DevicePolicy& policy);
// A v1 cgroup's devices.list as a policy. An allow-all cgroup lists only "a *:* rwm" (its deny
// exceptions are not shown), so it reads as allow-all with no exceptions.
Result<DevicePolicy> parse_devices_list(std::string_view text);
// The writes that take a v1 cgroup from `current` to `target` without a moment of deny-all when
// both are allow-lists (runc's Emulator.Transition): access taken away first, then access added.
// An allow-all current cgroup, or a change of default, needs the full v1_device_writes.
std::vector<std::pair<std::string, std::string>> v1_device_transition(const DevicePolicy& current,
                                                                      const DevicePolicy& target);

// v2: a BPF_PROG_TYPE_CGROUP_DEVICE program with runc's devicefilter semantics: an access request
// matches an exception when the type and numbers match and every requested access is in it.
Result<std::vector<bpf_insn>> device_filter_program(const DevicePolicy& policy);
// Compiles the rules first (the errors of compile_device_rules).
Result<std::vector<bpf_insn>> device_filter_program(const std::vector<DeviceRule>& rules);
// Loads the program and attaches it to the cgroup dir with BPF_F_ALLOW_MULTI, then detaches
// whatever device programs were attached before (so an update never leaves a gap).
Result<void> attach_device_filter(const std::string& cgroup_dir,
                                  const std::vector<bpf_insn>& program);

}  // namespace keel::cgroup
