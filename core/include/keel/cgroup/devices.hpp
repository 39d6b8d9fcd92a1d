// Device access rules: runc's default allow-list, the v1 devices.allow/deny write sequence,
// and the v2 eBPF (BPF_CGROUP_DEVICE) program generated from the same rules.
#pragma once

#include <linux/bpf.h>

#include <string>
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
// v1: ("devices.deny","a") first, then every rule in order to devices.allow or devices.deny.
std::vector<std::pair<std::string, std::string>> v1_device_writes(
    const std::vector<DeviceRule>& rules);

// v2: a BPF_PROG_TYPE_CGROUP_DEVICE program, last matching rule wins (runc's devicefilter).
Result<std::vector<bpf_insn>> device_filter_program(const std::vector<DeviceRule>& rules);
// Loads the program and attaches it to the cgroup dir with BPF_F_ALLOW_MULTI, then detaches
// whatever device programs were attached before (so an update never leaves a gap).
Result<void> attach_device_filter(const std::string& cgroup_dir,
                                  const std::vector<bpf_insn>& program);

}  // namespace keel::cgroup
