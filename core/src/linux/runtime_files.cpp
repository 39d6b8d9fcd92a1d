#include "runtime_files.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include "keel/fd.hpp"

namespace keel::runtime {

Result<void> write_pid_file(const std::string& path, pid_t pid) {
  std::string abs = absolute_path(path);
  auto slash = abs.rfind('/');
  std::string tmp = abs.substr(0, slash + 1) + "." + abs.substr(slash + 1);
  UniqueFd fd(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666));
  if (!fd) return sys_error("creating pid file " + tmp);
  std::string text = std::to_string(pid);
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    ::unlink(tmp.c_str());
    return sys_error("writing pid file " + tmp);
  }
  fd.reset();
  if (::rename(tmp.c_str(), abs.c_str()) < 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return sys_error("renaming pid file to " + abs, err);
  }
  return {};
}

std::string absolute_path(const std::string& path) {
  if (path.starts_with('/')) return std::filesystem::path(path).lexically_normal();
  std::error_code ec;
  auto cwd = std::filesystem::current_path(ec);
  return (cwd / path).lexically_normal();
}

}  // namespace keel::runtime
