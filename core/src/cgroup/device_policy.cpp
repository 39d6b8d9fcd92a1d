// A device rule list reduced to a default verdict and exceptions, with the semantics of the v1
// devices cgroup as runc's devices emulator models them (libcontainer/cgroups/devices).
#include <linux/bpf.h>

#include <map>
#include <tuple>

#include "keel/cgroup/devices.hpp"

namespace keel::cgroup {

namespace {

// Ordered like runc's exceptions: by major, minor, then type.
using Key = std::tuple<int64_t, int64_t, char>;

uint32_t access_bits(const std::string& access) {
  uint32_t bits = 0;
  for (char ch : access) {
    if (ch == 'r') bits |= BPF_DEVCG_ACC_READ;
    if (ch == 'w') bits |= BPF_DEVCG_ACC_WRITE;
    if (ch == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
  }
  return bits;
}

std::string access_text(uint32_t bits) {
  std::string s;
  if (bits & BPF_DEVCG_ACC_READ) s += 'r';
  if (bits & BPF_DEVCG_ACC_WRITE) s += 'w';
  if (bits & BPF_DEVCG_ACC_MKNOD) s += 'm';
  return s;
}

DeviceRule as_rule(const Key& k, uint32_t bits, bool allow) {
  return DeviceRule{allow, std::get<2>(k), std::get<0>(k), std::get<1>(k), access_text(bits)};
}

std::string verb(const DeviceRule& r) {
  return r.allow ? "allow " : "deny ";
}

// Takes access away from the exception with exactly the rule's numbers. The kernel would ignore
// a removal that only a wildcard exception covers, leaving the access granted; runc refuses it
// rather than give a false sense of security, and so do we.
Result<void> remove_access(std::map<Key, uint32_t>& ex, const DeviceRule& r, const Key& key,
                           uint32_t bits) {
  for (const Key& wild : {Key{-1, std::get<1>(key), r.type}, Key{std::get<0>(key), -1, r.type},
                          Key{-1, -1, r.type}}) {
    if (wild == key) continue;
    auto it = ex.find(wild);
    if (it != ex.end() && (it->second & bits) != 0)
      return fail("device rule \"" + verb(r) + device_rule_text(r) +
                  "\" is not supported by the devices cgroup: it would punch a hole in the "
                  "wildcard rule \"" +
                  device_rule_text(as_rule(wild, it->second, !r.allow)) + "\"");
  }
  if (auto it = ex.find(key); it != ex.end()) {
    it->second &= ~bits;
    if (it->second == 0) ex.erase(it);
  }
  return {};
}

}  // namespace

Result<DevicePolicy> compile_device_rules(const std::vector<DeviceRule>& rules) {
  bool default_allow = false;
  std::map<Key, uint32_t> ex;
  for (const DeviceRule& r : rules) {
    if (r.type == 'a') {  // "a" means every device and every access, whatever else it says
      default_allow = r.allow;
      ex.clear();
      continue;
    }
    if (r.type != 'c' && r.type != 'b')
      return fail("device rule \"" + device_rule_text(r) + "\": type must be a, b or c");
    Key key{r.major < 0 ? -1 : r.major, r.minor < 0 ? -1 : r.minor, r.type};
    uint32_t bits = access_bits(r.access);
    if (r.allow != default_allow) {
      ex[key] |= bits;  // the kernel merges access into an identical exception
    } else if (auto rm = remove_access(ex, r, key, bits); !rm) {
      return std::unexpected(rm.error());
    }
  }
  DevicePolicy policy{default_allow, {}};
  for (const auto& [key, bits] : ex)
    if (bits != 0) policy.exceptions.push_back(as_rule(key, bits, !default_allow));
  return policy;
}

}  // namespace keel::cgroup
