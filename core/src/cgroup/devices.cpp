// Device rules: runc's defaults, their text form, the v1 write sequence.
#include "keel/cgroup/devices.hpp"

#include <cstdint>
#include <map>
#include <tuple>

#include "keel/text.hpp"

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

namespace {

// "c 1:3 rwm" -> rule; false for anything else (including the "a" line, handled by the caller).
bool parse_list_line(std::string_view line, DeviceRule& r) {
  auto f = text::fields(line);
  if (f.size() < 3 || f[0].size() != 1) return false;
  std::string type(f[0]), numbers(f[1]), access(f[2]);
  auto colon = numbers.find(':');
  if (colon == std::string::npos) return false;
  auto number = [](const std::string& s, int64_t& out) {
    if (s == "*") return out = -1, true;
    if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos) return false;
    out = std::stoll(s);
    return true;
  };
  r = DeviceRule{true, type[0], -1, -1, access};
  return (r.type == 'c' || r.type == 'b') && number(numbers.substr(0, colon), r.major) &&
         number(numbers.substr(colon + 1), r.minor) &&
         access.find_first_not_of("rwm") == std::string::npos && !access.empty();
}

using Key = std::tuple<char, int64_t, int64_t>;
Key key_of(const DeviceRule& r) {
  return {r.type, r.major, r.minor};
}

// What `have` grants that `want` does not, in rwm order ("" when nothing).
std::string access_minus(const std::string& have, const std::string& want) {
  std::string out;
  for (char ch : std::string("rwm"))
    if (have.find(ch) != std::string::npos && want.find(ch) == std::string::npos) out += ch;
  return out;
}

}  // namespace

Result<DevicePolicy> parse_devices_list(std::string_view text) {
  DevicePolicy policy;
  for (std::string_view line : text::lines(text)) {
    if (line.empty()) continue;
    if (line.starts_with("a ")) return DevicePolicy{true, {}};
    DeviceRule r;
    if (!parse_list_line(line, r))
      return fail("devices.list: cannot parse \"" + std::string(line) + "\"");
    policy.exceptions.push_back(r);
  }
  return policy;
}

std::vector<std::pair<std::string, std::string>> v1_device_transition(const DevicePolicy& current,
                                                                      const DevicePolicy& target) {
  if (current.default_allow || target.default_allow) return v1_device_writes(target);
  std::map<Key, std::string> have, want;
  for (const DeviceRule& r : current.exceptions) have[key_of(r)] = r.access;
  for (const DeviceRule& r : target.exceptions) want[key_of(r)] = r.access;
  auto access_in = [](const std::map<Key, std::string>& m, const Key& k) {
    auto it = m.find(k);
    return it == m.end() ? std::string() : it->second;
  };
  std::vector<std::pair<std::string, std::string>> out;
  auto write = [&](const char* file, const Key& k, const std::string& access) {
    DeviceRule r{true, std::get<0>(k), std::get<1>(k), std::get<2>(k), access};
    out.emplace_back(file, device_rule_text(r));
  };
  for (const auto& [k, access] : have)
    if (auto dropped = access_minus(access, access_in(want, k)); !dropped.empty())
      write("devices.deny", k, dropped);
  for (const auto& [k, access] : want)
    if (auto gained = access_minus(access, access_in(have, k)); !gained.empty())
      write("devices.allow", k, gained);
  return out;
}

}  // namespace keel::cgroup
