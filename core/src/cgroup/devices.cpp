// Device rules: runc's defaults, their text form, the v1 write sequence.
#include "keel/cgroup/devices.hpp"

#include <cstdint>

namespace keel::cgroup {

std::vector<DeviceRule> default_device_rules() {
  auto c = [](int64_t major, int64_t minor, const char* access = "rwm") {
    return DeviceRule{true, 'c', major, minor, access};
  };
  return {
      c(-1, -1, "m"),                      // mknod of any char device
      DeviceRule{true, 'b', -1, -1, "m"},  // mknod of any block device
      c(1, 3),                             // /dev/null
      c(1, 8),                             // /dev/random
      c(1, 7),                             // /dev/full
      c(5, 0),                             // /dev/tty
      c(1, 5),                             // /dev/zero
      c(1, 9),                             // /dev/urandom
      c(136, -1),                          // /dev/pts/*
      c(5, 2),                             // /dev/ptmx
      c(10, 200),                          // /dev/net/tun
  };
}

std::vector<DeviceRule> effective_device_rules(const std::vector<DeviceRule>& spec) {
  std::vector<DeviceRule> out = spec;
  for (const DeviceRule& d : default_device_rules()) out.push_back(d);
  return out;
}

std::string device_rule_text(const DeviceRule& r) {
  auto num = [](int64_t v) { return v < 0 ? std::string("*") : std::to_string(v); };
  return std::string(1, r.type) + " " + num(r.major) + ":" + num(r.minor) + " " + r.access;
}

std::vector<std::pair<std::string, std::string>> v1_device_writes(const DevicePolicy& policy) {
  // The default first ("a" also drops every earlier exception), then the exceptions: the
  // kernel ends in exactly the policy, as runc's first write to a new cgroup does.
  const char* to_default = policy.default_allow ? "devices.allow" : "devices.deny";
  const char* to_except = policy.default_allow ? "devices.deny" : "devices.allow";
  std::vector<std::pair<std::string, std::string>> out{{to_default, "a"}};
  for (const DeviceRule& r : policy.exceptions) out.emplace_back(to_except, device_rule_text(r));
  return out;
}

}  // namespace keel::cgroup
