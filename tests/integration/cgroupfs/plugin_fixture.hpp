// Loads the cgroupfs plugin straight through its C entry point and owns a unique test cgroup
// under /keel-test, removing it (and killing anything left in it) even when a check fails.
#pragma once

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "keel/plugin_abi.h"

namespace fs = std::filesystem;

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "<missing>";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

struct Sink {
  std::string text;
  keel_sink raw{this, [](void* ctx, const char* data, size_t len) {
                  static_cast<Sink*>(ctx)->text.append(data, len);
                }};
};

class Plugin {
 public:
  Plugin() {
    std::string path = std::string(KEEL_PLUGIN_DIR) + "/libkeel-cgroupfs.so";
    handle_ = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle_) throw std::runtime_error(std::string("dlopen: ") + ::dlerror());
    auto entry = reinterpret_cast<keel_plugin_entry_fn>(::dlsym(handle_, KEEL_PLUGIN_ENTRY_SYMBOL));
    if (!entry) throw std::runtime_error("no keel_plugin_entry");
    desc = entry(KEEL_PLUGIN_ABI_MAJOR, KEEL_PLUGIN_ABI_MINOR);
    if (!desc || desc->magic != KEEL_PLUGIN_MAGIC || desc->kind != KEEL_PLUGIN_CGROUP_MANAGER)
      throw std::runtime_error("bad descriptor");
    keel_error err{};
    if (desc->init(nullptr, "{}", &err) != 0) throw std::runtime_error(err.message);
    ops = static_cast<const keel_cgroup_ops*>(desc->ops);
  }
  ~Plugin() {
    if (handle_) ::dlclose(handle_);
  }
  const keel_plugin_descriptor* desc = nullptr;
  const keel_cgroup_ops* ops = nullptr;

 private:
  void* handle_ = nullptr;
};

// /keel-test/cgroupfs-<pid>-<n>: unique per test, removed with everything in it.
class TestCgroup {
 public:
  TestCgroup() {
    static std::atomic<int> n{0};
    name_ = "cgroupfs-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
  }
  ~TestCgroup() { cleanup(); }
  TestCgroup(const TestCgroup&) = delete;
  TestCgroup& operator=(const TestCgroup&) = delete;

  std::string path() const { return "/keel-test/" + name_ + "/c"; }
  std::string dir(const std::string& hierarchy) const {
    return "/sys/fs/cgroup/" + hierarchy + "/keel-test/" + name_ + "/c";
  }
  std::string top(const std::string& hierarchy) const {
    return "/sys/fs/cgroup/" + hierarchy + "/keel-test/" + name_;
  }

  void cleanup() const {
    for (const auto& h : fs::directory_iterator("/sys/fs/cgroup")) {
      fs::path top = h.path() / "keel-test" / name_;
      std::error_code ec;
      if (!fs::exists(top, ec)) continue;
      kill_tasks(top);
      remove_tree(top);
      ::rmdir((h.path() / "keel-test").c_str());  // only when empty; others may use it
    }
  }

 private:
  static void kill_tasks(const fs::path& dir) {
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
         it.increment(ec)) {
      if (it->path().filename() != "cgroup.procs") continue;
      std::ifstream in(it->path());
      pid_t pid;
      while (in >> pid) ::kill(pid, SIGKILL);
    }
    std::ifstream in(dir / "cgroup.procs");
    pid_t pid;
    while (in >> pid) ::kill(pid, SIGKILL);
  }
  static void remove_tree(const fs::path& dir) {
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec))
      if (e.is_directory()) remove_tree(e.path());
    for (int i = 0; i < 50 && ::rmdir(dir.c_str()) != 0 && errno == EBUSY; ++i) ::usleep(20000);
  }
  std::string name_;
};

// A child that waits to be released through a pipe, then runs `body` and exits with its result.
class Child {
 public:
  template <class Body>
  explicit Child(Body body) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
    pid = ::fork();
    if (pid == 0) {
      ::close(p[1]);
      char c;
      if (::read(p[0], &c, 1) != 1) ::_exit(100);
      ::_exit(body());
    }
    ::close(p[0]);
    release_fd_ = p[1];
  }
  ~Child() {
    if (release_fd_ >= 0) ::close(release_fd_);
    if (pid > 0 && !reaped_) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
    }
  }
  void release() {
    (void)!::write(release_fd_, "x", 1);
    ::close(release_fd_);
    release_fd_ = -1;
  }
  int wait() {
    int status = 0;
    ::waitpid(pid, &status, 0);
    reaped_ = true;
    return status;
  }
  pid_t pid = -1;

 private:
  int release_fd_ = -1;
  bool reaped_ = false;
};
