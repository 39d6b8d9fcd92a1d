#include "mountinfo.hpp"

#include <fcntl.h>
#include <unistd.h>

#include "keel/fd.hpp"
#include "keel/text.hpp"

namespace keel::rootfs::detail {
namespace {

std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      int v = 0;
      bool ok = true;
      for (size_t k = 1; k <= 3; ++k) {
        char ch = s[i + k];
        if (ch < '0' || ch > '7') ok = false;
        v = v * 8 + (ch - '0');
      }
      if (ok) {
        out += static_cast<char>(v);
        i += 3;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

}  // namespace

std::vector<MountEntry> parse_mountinfo(std::string_view text) {
  std::vector<MountEntry> out;
  for (std::string_view line : text::lines(text)) {
    // id parent major:minor root mount_point options [optional...] - fstype source superopts
    auto f = text::fields(line, " ");
    if (f.size() < 5) continue;
    size_t dash = 5;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (dash + 1 >= f.size()) continue;
    out.push_back({unescape(f[4]), std::string(f[dash + 1])});
  }
  return out;
}

Result<std::vector<MountEntry>> read_mountinfo() {
  UniqueFd fd(::open("/proc/self/mountinfo", O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("open /proc/self/mountinfo");
  std::string text;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("read /proc/self/mountinfo");
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  return parse_mountinfo(text);
}

}  // namespace keel::rootfs::detail
