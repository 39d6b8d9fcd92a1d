// Small helpers for the manage tests: the container's cgroup files (v1 or v2, by the host's
// layout), waiting on conditions.
#pragma once

#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "harness.hpp"

namespace keel::test {

// <file> in the container's cgroup dir for `controller` (see cgroup_dir: the v1 hierarchy of
// that controller, or the one cgroup2 dir on pure v2), trimmed.
inline std::string cgroup_value(const Bundle& b, const std::string& controller,
                                const std::string& file) {
  std::string v = read_file(cgroup_dir(controller, b.cgroup_path()) + "/" + file);
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.pop_back();
  return v;
}

// The memory limit keel wrote: memory.max on v2, memory.limit_in_bytes on v1.
inline std::string memory_limit(const Bundle& b) {
  return cgroup_value(b, "memory", cgroup_v2_host() ? "memory.max" : "memory.limit_in_bytes");
}

// The value of `key` in a flat-keyed file such as memory.events or cgroup.events ("key N"
// lines), or -1 when the key is missing.
inline long long keyed_value(const std::string& text, const std::string& key) {
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(at, end - at);
    if (line.rfind(key + " ", 0) == 0) return std::stoll(line.substr(key.size() + 1));
    at = end + 1;
  }
  return -1;
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
