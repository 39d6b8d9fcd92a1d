// A cgroup manager for tests that touches no cgroup: it echoes what it is given, so the tests
// can see every argument and result cross the C ABI. Subclasses change one behaviour each.
#pragma once

#include <fcntl.h>

#include <stdexcept>
#include <string>

#include "keel/sdk/plugin.hpp"

class EchoCgroupManager : public keel::sdk::CgroupManagerPlugin {
 public:
  keel::Result<Created> create(std::string_view request) override {
    Created c;
    c.state = "{\"request\":" + std::string(request) + "}";
    // A real fd, so the test can check the host takes ownership of it.
    c.clone_into_fd = ::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
    return c;
  }
  keel::Result<void> apply(std::string_view, pid_t pid) override {
    if (pid <= 0) return keel::fail("moving pid " + std::to_string(pid) + ": not a process", ESRCH);
    return {};
  }
  keel::Result<void> set(std::string_view, std::string_view resources) override {
    if (resources.find("\"bad\"") != std::string_view::npos) {
      return keel::sys_error("writing /x/memory.limit_in_bytes", EINVAL);
    }
    return {};
  }
  keel::Result<void> freeze(std::string_view, bool frozen) override {
    frozen_ = frozen;
    return {};
  }
  keel::Result<std::string> freezer_state(std::string_view) override {
    return std::string(frozen_ ? "paused" : "running");
  }
  keel::Result<std::string> stats(std::string_view state) override {
    return "{\"state\":" + std::string(state) + "}";
  }
  keel::Result<std::string> pids(std::string_view state) override {
    if (state == "garbage") return std::string("not json");
    return std::string("[1, 42, 4194304]");
  }
  keel::Result<void> kill_all(std::string_view, int) override { return {}; }
  keel::Result<void> destroy(std::string_view) override { return {}; }
  keel::Result<std::string> features() override {
    return std::string("{\"v1\":true,\"v2\":false,\"systemd\":false}");
  }
  keel::Result<std::string> paths(std::string_view) override {
    return std::string("{\"memory\":\"/x\"}");
  }

 private:
  bool frozen_ = false;
};
