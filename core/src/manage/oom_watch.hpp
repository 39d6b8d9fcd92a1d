// Internal: OOM notifications for one memory cgroup. v1: an eventfd registered through
// cgroup.event_control on memory.oom_control; v2: the oom_kill counter of memory.events, whose
// changes wake poll() with POLLPRI.
#pragma once

#include <cstdint>
#include <string>

#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel::manage::detail {

class OomWatch {
 public:
  // `memory_dir` "" = no memory controller: fd() is -1 and nothing is ever reported.
  static Result<OomWatch> open(const std::string& memory_dir);

  int fd() const { return v2_ ? events_.get() : eventfd_.get(); }
  short poll_events() const;

  struct Seen {
    bool oom = false;   // at least one OOM since the last call
    bool gone = false;  // the cgroup was removed (v1 eventfd also fires then)
  };
  // Non-blocking: what happened since the last call.
  Seen take();

  // Exposed for unit tests: oom_kill from memory.events text (0 when absent).
  static uint64_t oom_kill_count(std::string_view memory_events);

 private:
  bool v2_ = false;
  std::string dir_;
  UniqueFd eventfd_, oom_control_;  // v1
  UniqueFd events_;                 // v2: memory.events
  uint64_t last_oom_kill_ = 0;
  Result<uint64_t> read_oom_kill() const;
};

}  // namespace keel::manage::detail
