#include "kernel_settings.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <algorithm>

namespace keel::runtime {
namespace {

// Opens /proc/sys and checks it really is procfs: a container rootfs could have put anything at
// /proc before our proc mount, and writes must not be redirected (CVE-2025-52881 class).
Result<UniqueFd> open_proc_sys() {
  UniqueFd fd(::open("/proc/sys", O_PATH | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return sys_error("opening /proc/sys");
  struct statfs fs;
  if (::fstatfs(fd.get(), &fs) < 0) return sys_error("statfs /proc/sys");
  if (fs.f_type != PROC_SUPER_MAGIC) return fail("/proc/sys is not on procfs", EXDEV);
  return fd;
}

Result<void> write_sysctl(int proc_sys, const std::string& key, const std::string& value) {
  std::string rel = key;
  std::ranges::replace(rel, '.', '/');
  if (rel.find("..") != std::string::npos || rel.starts_with('/'))
    return fail("invalid sysctl name " + key);
  UniqueFd fd(::openat(proc_sys, rel.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW | O_TRUNC));
  if (!fd) return sys_error("open /proc/sys/" + rel);
  struct statfs fs;
  if (::fstatfs(fd.get(), &fs) < 0 || fs.f_type != PROC_SUPER_MAGIC)
    return fail("/proc/sys/" + rel + " is not on procfs", EXDEV);
  if (::write(fd.get(), value.data(), value.size()) < 0) return sys_error("write /proc/sys/" + rel);
  return {};
}

}  // namespace

Result<void> apply_kernel_settings(const spec::Config& config) {
  if (!config.hostname.empty() && ::sethostname(config.hostname.data(), config.hostname.size()) < 0)
    return sys_error("sethostname");
  if (!config.domainname.empty() &&
      ::setdomainname(config.domainname.data(), config.domainname.size()) < 0)
    return sys_error("setdomainname");
  if (!config.linux || config.linux->sysctl.empty()) return {};
  auto proc_sys = open_proc_sys();
  if (!proc_sys) return std::unexpected(proc_sys.error());
  for (const auto& [key, value] : config.linux->sysctl) {
    if (auto r = write_sysctl(proc_sys->get(), key, value); !r) return r;
  }
  return {};
}

}  // namespace keel::runtime
