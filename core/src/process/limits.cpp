// Resource limits and the OOM score adjustment.
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/resource.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <string>

#include "keel/fd.hpp"
#include "keel/linux/process.hpp"
#include "keel/spec/names.hpp"

namespace keel::process {

Result<void> apply_rlimits(const std::vector<spec::Rlimit>& rlimits, pid_t pid) {
  for (const auto& r : rlimits) {
    auto resource = spec::names::rlimit(r.type);
    if (!resource) return fail("wrong rlimit value: " + r.type);
    const rlimit value{.rlim_cur = r.soft, .rlim_max = r.hard};
    if (prlimit(pid, static_cast<__rlimit_resource>(*resource), &value, nullptr) != 0) {
      return sys_error("error setting rlimit type " + r.type);
    }
  }
  return {};
}

Result<void> apply_oom_score_adj(int32_t value, pid_t pid) {
  const std::string path =
      pid == 0 ? "/proc/self/oom_score_adj" : "/proc/" + std::to_string(pid) + "/oom_score_adj";
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC | O_NOFOLLOW));
  if (!fd) return sys_error("opening " + path);
  // Whatever got opened must be procfs itself, not a file bind-mounted over it.
  struct statfs fs {};
  if (fstatfs(fd.get(), &fs) != 0) return sys_error("fstatfs " + path);
  if (fs.f_type != PROC_SUPER_MAGIC) {
    return fail("writing " + path + ": not on procfs (possible procfs redirection)", EXDEV);
  }
  const std::string text = std::to_string(value);
  const ssize_t n = write(fd.get(), text.data(), text.size());
  if (n < 0) return sys_error("writing " + path);
  if (static_cast<size_t>(n) != text.size()) return fail("writing " + path + ": short write", EIO);
  return {};
}

}  // namespace keel::process
