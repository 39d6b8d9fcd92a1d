// A cgroup manager whose methods throw: the SDK must turn that into an error, not a crash.
#include "cgroup_base.hpp"

class Thrower : public EchoCgroupManager {
 public:
  keel::Result<void> apply(std::string_view, pid_t) override {
    throw std::runtime_error("boom in apply");
  }
  keel::Result<std::string> stats(std::string_view) override {
    throw std::runtime_error("boom in stats");
  }
};

KEEL_PLUGIN(KEEL_PLUGIN_CGROUP_MANAGER, Thrower, "thrower", "0.0.1")
