#include "mountinfo.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <sstream>

#include "keel/fd.hpp"

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
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string f, mount_point;
    // id parent major:minor root mount_point options [optional...] - fstype source superopts
    for (int i = 0; i < 5 && fields >> f; ++i) mount_point = f;
    while (fields >> f && f != "-") {
    }
    std::string type;
    if (!(fields >> type)) continue;
    out.push_back({unescape(mount_point), type});
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
