#include "support.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace keel::test {

TempDir::TempDir() {
  char tmpl[] = "/tmp/keel-process-test-XXXXXX";
  if (!mkdtemp(tmpl)) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

BusyboxRootfs::BusyboxRootfs() : root(dir.path() + "/rootfs") {
  namespace fs = std::filesystem;
  for (const char* d : {"", "/bin", "/etc", "/proc", "/home/user", "/tmp"}) {
    fs::create_directories(root + d);
  }
  fs::copy_file("/bin/busybox", root + "/bin/busybox");
  chmod((root + "/bin/busybox").c_str(), 0755);
  for (const char* applet : {"sh", "true", "sleep", "cat", "grep", "env", "ls"}) {
    fs::create_symlink("busybox", root + "/bin/" + applet);
  }
  write_file(root + "/etc/passwd",
             "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/home/user:/bin/sh\n");
  write_file(root + "/etc/data", "not a program\n", 0644);
}

ChildResult run_child(const std::function<int()>& fn) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  // Unflushed test-runner output would otherwise be written a second time by the child.
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    const int null = open("/dev/null", O_RDONLY);
    dup2(null, 0);
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(null);
    close(fds[0]);
    close(fds[1]);
    int rc = 1;
    try {
      rc = fn();
    } catch (...) {
      rc = 99;
    }
    fflush(stdout);
    _exit(rc);
  }
  close(fds[1]);
  ChildResult result;
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) result.output.append(buf, n);
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

void write_file(const std::string& path, const std::string& text, int mode) {
  std::ofstream(path) << text;
  chmod(path.c_str(), mode);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string field(const std::string& text, const std::string& key) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(key + ":", 0) != 0) continue;
    std::string value = line.substr(key.size() + 1);
    const auto first = value.find_first_not_of(" \t");
    const auto last = value.find_last_not_of(" \t");
    return first == std::string::npos ? "" : value.substr(first, last - first + 1);
  }
  return "";
}

}  // namespace keel::test
