#include "test_support.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace keel::rootfs::test {

TempDir::TempDir(const std::string& prefix) {
  std::string tmpl = "/tmp/" + prefix + "-XXXXXX";
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

void write_file(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content;
}

std::string errno_name(int err) {
  switch (err) {
    case ENOENT:
      return "ENOENT";
    case EROFS:
      return "EROFS";
    case EACCES:
      return "EACCES";
    case EPERM:
      return "EPERM";
    case ELOOP:
      return "ELOOP";
    case EXDEV:
      return "EXDEV";
    case ENOTDIR:
      return "ENOTDIR";
    default:
      return "errno" + std::to_string(err);
  }
}

std::string read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "<" + errno_name(errno) + ">";
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

void make_dirs(const std::string& path) {
  std::filesystem::create_directories(path);
}

void make_busybox_rootfs(const std::string& root) {
  make_dirs(root + "/bin");
  make_dirs(root + "/etc");
  std::filesystem::copy_file("/bin/busybox", root + "/bin/busybox");
  ::chmod((root + "/bin/busybox").c_str(), 0755);
  for (const char* applet : {"sh", "cat", "ls", "echo", "stat", "mount"})
    std::filesystem::create_symlink("busybox", root + "/bin/" + applet);
}

ChildResult run_in_mount_ns(const std::function<int(std::string&)>& body, int extra_flags) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) < 0) throw std::runtime_error("pipe");
  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    ::close(pipe_fds[0]);
    ::alarm(60);
    std::string out;
    int code = 97;
    try {
      if (::unshare(CLONE_NEWNS | extra_flags) < 0) {
        out = std::string("unshare: ") + std::strerror(errno) + "\n";
      } else if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) < 0) {
        out = std::string("making / private: ") + std::strerror(errno) + "\n";
      } else {
        code = body(out);
      }
    } catch (const std::exception& e) {
      out += std::string("exception: ") + e.what() + "\n";
      code = 98;
    }
    for (size_t off = 0; off < out.size();) {
      ssize_t w = ::write(pipe_fds[1], out.data() + off, out.size() - off);
      if (w <= 0) break;
      off += static_cast<size_t>(w);
    }
    ::_exit(code);
  }
  ::close(pipe_fds[1]);
  ChildResult r;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buf, sizeof buf)) > 0)
    r.output.append(buf, static_cast<size_t>(n));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::istringstream lines(r.output);
  std::string line;
  while (std::getline(lines, line)) {
    auto eq = line.find('=');
    if (eq != std::string::npos) r.values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return r;
}

keel::rootfs::Plan plan_for(const keel::spec::Config& config, const std::string& rootfs) {
  keel::rootfs::Plan plan;
  plan.config = &config;
  plan.rootfs = rootfs;
  return plan;
}

std::string host_mounts_mentioning(const std::string& needle) {
  std::istringstream in(read_file("/proc/self/mountinfo"));
  std::string line, out;
  while (std::getline(in, line))
    if (line.find(needle) != std::string::npos) out += line + "\n";
  return out;
}

}  // namespace keel::rootfs::test
