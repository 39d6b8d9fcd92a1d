// Small helpers for the manage tests: the container's v1 cgroup files, waiting on conditions.
#pragma once

#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "harness.hpp"

namespace keel::test {

// /sys/fs/cgroup/<controller>/keel-test/<id>/<file>, trimmed.
inline std::string cgroup_value(const Bundle& b, const std::string& controller,
                                const std::string& file) {
  std::string v = read_file("/sys/fs/cgroup/" + controller + b.cgroup_path() + "/" + file);
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
  return v;
}

// Polls `done` every 50ms until it holds or `timeout` passes.
template <class F>
bool eventually(F&& done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// Starts `b` (created + started) and checks it runs.
inline void start_running(const Bundle& b) {
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  auto s = b.start();
  REQUIRE_MESSAGE(s.exit_code == 0, s.err);
  REQUIRE(b.status() == "running");
}

// Runs `b` (whose command exits at once) and waits until it is stopped.
inline void run_to_stopped(const Bundle& b) {
  auto c = b.create();
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  auto s = b.start();
  REQUIRE_MESSAGE(s.exit_code == 0, s.err);
  REQUIRE(b.wait_status("stopped"));
}

}  // namespace keel::test
