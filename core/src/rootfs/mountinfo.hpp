// Just enough of /proc/self/mountinfo for the rootfs area: mount points and filesystem types.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "keel/error.hpp"

namespace keel::rootfs::detail {

struct MountEntry {
  std::string mount_point;  // unescaped ("\040" -> " ")
  std::string fs_type;
};

std::vector<MountEntry> parse_mountinfo(std::string_view text);
Result<std::vector<MountEntry>> read_mountinfo();

}  // namespace keel::rootfs::detail
