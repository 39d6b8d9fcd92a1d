#include "id_maps.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "keel/fd.hpp"

namespace keel::runtime {
namespace {

Result<void> write_map(pid_t pid, const char* file, const std::vector<spec::IdMapping>& maps) {
  if (maps.empty()) return {};
  std::string text;
  for (const auto& m : maps)
    text += std::to_string(m.container_id) + " " + std::to_string(m.host_id) + " " +
            std::to_string(m.size) + "\n";
  std::string path = "/proc/" + std::to_string(pid) + "/" + file;
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return sys_error("opening " + path);
  // The whole map must go in one write: the kernel accepts a map file only once.
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    return sys_error("writing " + path);
  return {};
}

}  // namespace

Result<void> write_id_maps(pid_t pid, const spec::Config& config) {
  if (!config.linux) return {};
  // We run as host root with CAP_SETGID, so setgroups stays "allow" (runc denies it only for
  // rootless containers, where writing gid_map needs it).
  if (auto r = write_map(pid, "gid_map", config.linux->gid_mappings); !r) return r;
  return write_map(pid, "uid_map", config.linux->uid_mappings);
}

}  // namespace keel::runtime
