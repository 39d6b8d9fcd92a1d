#include "security_util.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;

namespace keel::test::security {

std::string host_path(const std::string& name) {
  const char* t = std::getenv("TMPDIR");
  std::string base = t && *t ? t : "/tmp";
  return base + "/keel-sec-" + name + "-" + std::to_string(::getpid());
}

std::vector<std::string> host_mounts_mentioning(const std::string& needle) {
  std::vector<std::string> found;
  std::ifstream in("/proc/self/mountinfo");
  for (std::string line; std::getline(in, line);)
    if (line.find(needle) != std::string::npos) found.push_back(line);
  return found;
}

std::vector<std::string> dir_entries(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (auto& e : fs::directory_iterator(dir, ec)) names.push_back(e.path().filename().string());
  return names;
}

void set_namespaces(Bundle& b, const std::string& json_array) {
  b.set("/linux/namespaces", json_array);
}

void use_rootfs_dev(Bundle& b, bool keep_devpts) {
  std::string mounts = R"([{"destination": "/proc", "type": "proc", "source": "proc"})";
  if (keep_devpts)
    mounts += R"(,{"destination": "/dev/pts", "type": "devpts", "source": "devpts",
        "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]})";
  mounts += "]";
  b.set("/mounts", mounts);
}

}  // namespace keel::test::security
