// OOM notifications: v1 eventfd + cgroup.event_control, v2 memory.events oom_kill counter.
#include "oom_watch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>

namespace keel::manage::detail {
namespace {

bool exists(const std::string& path) {
  struct stat sb;
  return ::stat(path.c_str(), &sb) == 0;
}

}  // namespace

uint64_t OomWatch::oom_kill_count(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    std::string_view line = text.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    if (line.starts_with("oom_kill ")) {
      uint64_t v = 0;
      std::from_chars(line.data() + 9, line.data() + line.size(), v);
      return v;
    }
    if (eol == std::string_view::npos) break;
    pos = eol + 1;
  }
  return 0;
}

Result<uint64_t> OomWatch::read_oom_kill() const {
  char buf[1024];
  ssize_t n = ::pread(events_.get(), buf, sizeof buf - 1, 0);
  if (n < 0) return sys_error("reading " + dir_ + "/memory.events");
  return oom_kill_count(std::string_view(buf, static_cast<std::size_t>(n)));
}

Result<OomWatch> OomWatch::open(const std::string& memory_dir) {
  OomWatch w;
  w.dir_ = memory_dir;
  if (memory_dir.empty()) return w;
  std::string control = memory_dir + "/memory.oom_control";
  if (!exists(control)) {
    // cgroup v2 (or the hybrid unified dir): watch the counter.
    std::string events = memory_dir + "/memory.events";
    w.v2_ = true;
    w.events_ = UniqueFd(::open(events.c_str(), O_RDONLY | O_CLOEXEC));
    if (!w.events_) return sys_error("open " + events);
    auto count = w.read_oom_kill();
    if (!count) return std::unexpected(count.error());
    w.last_oom_kill_ = *count;
    return w;
  }
  w.eventfd_ = UniqueFd(::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!w.eventfd_) return sys_error("eventfd");
  w.oom_control_ = UniqueFd(::open(control.c_str(), O_RDONLY | O_CLOEXEC));
  if (!w.oom_control_) return sys_error("open " + control);
  std::string event_control = memory_dir + "/cgroup.event_control";
  UniqueFd ec(::open(event_control.c_str(), O_WRONLY | O_CLOEXEC));
  if (!ec) return sys_error("open " + event_control);
  std::string line = std::to_string(w.eventfd_.get()) + " " + std::to_string(w.oom_control_.get());
  if (::write(ec.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()))
    return sys_error("writing " + event_control);
  return w;
}

short OomWatch::poll_events() const {
  return v2_ ? static_cast<short>(POLLPRI | POLLERR) : static_cast<short>(POLLIN);
}

OomWatch::Seen OomWatch::take() {
  Seen seen;
  if (fd() < 0) return seen;
  if (v2_) {
    auto count = read_oom_kill();
    if (!count) {
      seen.gone = true;
      return seen;
    }
    seen.oom = *count > last_oom_kill_;
    last_oom_kill_ = *count;
    return seen;
  }
  uint64_t n = 0;
  if (::read(eventfd_.get(), &n, sizeof n) != sizeof n) return seen;  // EAGAIN: nothing new
  // The eventfd also fires when the cgroup is removed; runc tells the two apart the same way.
  if (!exists(dir_ + "/cgroup.event_control"))
    seen.gone = true;
  else
    seen.oom = true;
  return seen;
}

}  // namespace keel::manage::detail
