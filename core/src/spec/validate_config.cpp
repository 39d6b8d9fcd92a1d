// Checks that relate several config fields, after parsing. Wording follows runc's
// libcontainer/configs/validate/validator.go; each error is prefixed with the JSON path.
// Checks that need the host (does the kernel have time namespaces, is a joined netns the host's)
// are left to create, which has the system at hand.
#include <algorithm>
#include <array>

#include "parsers.hpp"

namespace keel::spec::detail {
namespace {

const Namespace* ns_of(const Config& c, std::string_view type) {
  if (!c.linux) return nullptr;
  for (const auto& ns : c.linux->namespaces)
    if (ns.type == type) return &ns;
  return nullptr;
}

Status check_uts(Reader& r, const Config& c) {
  if (ns_of(c, "uts")) return {};
  if (!c.hostname.empty()) {
    auto seg = r.key("hostname");
    return r.fail("unable to set hostname without a private UTS namespace");
  }
  if (!c.domainname.empty()) {
    auto seg = r.key("domainname");
    return r.fail("unable to set domainname without a private UTS namespace");
  }
  return {};
}

Status check_linux_namespaces(Reader& r, const Linux& l, const Config& c) {
  auto seg = r.key("linux");
  if (!ns_of(c, "mount")) {
    for (const char* key : {"maskedPaths", "readonlyPaths"}) {
      const auto& paths = key[0] == 'm' ? l.masked_paths : l.readonly_paths;
      if (paths.empty()) continue;
      auto k = r.key(key);
      return r.fail("unable to restrict sys entries without a private MNT namespace");
    }
  }
  if (const Namespace* user = ns_of(c, "user")) {
    // A joined user namespace brings its own mappings; a new one needs them to be given.
    if (user->path.empty()) {
      if (l.uid_mappings.empty()) {
        auto k = r.key("uidMappings");
        return r.fail("user namespaces enabled, but no uid mappings found");
      }
      if (l.gid_mappings.empty()) {
        auto k = r.key("gidMappings");
        return r.fail("user namespaces enabled, but no gid mappings found");
      }
    }
  } else if (!l.uid_mappings.empty() || !l.gid_mappings.empty()) {
    auto k = r.key(l.uid_mappings.empty() ? "gidMappings" : "uidMappings");
    return r.fail(
        "User namespace mappings specified, but USER namespace isn't enabled in the config");
  }
  if (!l.time_offsets.empty() && !ns_of(c, "time")) {
    auto k = r.key("timeOffsets");
    return r.fail(
        "time namespace offsets specified, but time namespace isn't enabled in the config");
  }
  return {};
}

// sysctl(8) also accepts '/' as the separator; runc swaps the two before matching.
std::string dotted(std::string s) {
  auto first = s.find_first_of("./");
  if (first == std::string::npos || s[first] == '.') return s;
  for (char& ch : s) ch = ch == '.' ? '/' : ch == '/' ? '.' : ch;
  return s;
}

// Only sysctls that live in a namespace the container owns may be set (validator.go sysctl).
Status check_sysctl(Reader& r, const Config& c) {
  static constexpr std::array<std::string_view, 8> ipc_sysctls{
      "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
      "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced"};
  auto seg = r.key("linux");
  auto sys = r.key("sysctl");
  for (const auto& [key, value] : c.linux->sysctl) {
    auto k = r.map_key(key);
    const std::string s = dotted(key);
    if (std::ranges::find(ipc_sysctls, s) != ipc_sysctls.end() || s.starts_with("fs.mqueue.")) {
      if (ns_of(c, "ipc")) continue;
      return r.fail("sysctl " + quote(s) + " is not allowed in the hosts ipc namespace");
    }
    if (s.starts_with("net.")) {
      // A joined netns (path set) may still be the host's; create compares the inodes.
      if (ns_of(c, "network")) continue;
      return r.fail("sysctl " + quote(s) + " not allowed in host network namespace");
    }
    if (ns_of(c, "uts")) {
      if (s == "kernel.domainname") continue;
      if (s == "kernel.hostname")
        return r.fail("sysctl " + quote(s) + " is not allowed as it conflicts with the OCI " +
                      "\"hostname\" field");
    }
    return r.fail("sysctl " + quote(s) + " is not in a separate kernel namespace");
  }
  return {};
}

// cgroupsPath is joined under each hierarchy's root: ".." must never climb above that root.
Status check_cgroups_path(Reader& r, const std::string& path) {
  int depth = 0;
  std::string_view rest = path;
  while (!rest.empty()) {
    auto slash = rest.find('/');
    auto part = rest.substr(0, slash);
    if (part == "..") {
      if (--depth < 0) {
        auto seg = r.key("linux");
        auto k = r.key("cgroupsPath");
        return r.fail("cgroupsPath " + quote(path) + " escapes the cgroup root");
      }
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return {};
}

}  // namespace

Status validate_config(Reader& r, const Config& c) {
  if (!c.root) {
    auto seg = r.key("root");
    return r.fail("root must be specified");
  }
  KEEL_TRY(check_uts(r, c));
  if (!c.linux) return {};
  KEEL_TRY(check_linux_namespaces(r, *c.linux, c));
  KEEL_TRY(check_sysctl(r, c));
  KEEL_TRY(check_cgroups_path(r, c.linux->cgroups_path));
  return {};
}

}  // namespace keel::spec::detail
