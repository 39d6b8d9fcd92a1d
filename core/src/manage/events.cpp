// events: a stats line every interval and an oom line per OOM, until the container's init exits.
// One thread, one poll(2) over the init's pidfd, a timerfd and the OOM notifier.
#include <poll.h>
#include <rapidjson/document.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include "json_util.hpp"
#include "keel/log.hpp"
#include "keel/manage.hpp"
#include "managed.hpp"
#include "oom_watch.hpp"
#include "proc_read.hpp"
#include "stats_internal.hpp"

namespace keel::manage {
namespace {

// A pidfd for the recorded init, or an empty fd when that process is gone (or its pid reused).
UniqueFd open_init_pidfd(const ContainerState& st) {
  UniqueFd fd(static_cast<int>(::syscall(SYS_pidfd_open, st.init_pid, 0)));
  if (!fd) return fd;
  if (process_start_time(st.init_pid) != st.init_start_time) return UniqueFd();
  return fd;  // pidfds are always close-on-exec
}

// The dir of the memory controller from the manager's paths() ({"memory":..} or {"unified":..}).
Result<std::string> memory_dir(const CgroupManager& manager, const ContainerState& st) {
  auto paths = manager.paths(st.cgroup_state);
  if (!paths) return std::unexpected(paths.error());
  rapidjson::Document doc;
  if (auto r = detail::parse_json(doc, *paths, "cgroup paths from " + manager.name()); !r)
    return std::unexpected(r.error());
  for (const char* key : {"memory", "unified"}) {
    if (doc.IsObject() && doc.HasMember(key) && doc[key].IsString()) return doc[key].GetString();
  }
  return std::string();
}

Result<UniqueFd> interval_timer(std::chrono::nanoseconds interval) {
  UniqueFd fd(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK));
  if (!fd) return sys_error("timerfd_create");
  itimerspec spec{};
  spec.it_interval.tv_sec = static_cast<time_t>(interval.count() / 1000000000);
  spec.it_interval.tv_nsec = static_cast<long>(interval.count() % 1000000000);
  spec.it_value = spec.it_interval;
  if (::timerfd_settime(fd.get(), 0, &spec, nullptr) != 0) return sys_error("timerfd_settime");
  return fd;
}

struct Loop {
  const CgroupManager& manager;
  const ContainerState& st;
  detail::OomWatch& oom;
  const std::function<void(const std::string&)>& emit;

  // True when the watch is over (the cgroup went away).
  bool report_oom() {
    auto seen = oom.take();
    if (seen.oom) emit("{\"type\":\"oom\",\"id\":" + detail::json_string(st.id) + "}");
    return seen.gone;
  }
  void report_stats(int timer) {
    uint64_t ticks = 0;
    if (::read(timer, &ticks, sizeof ticks) != sizeof ticks) return;
    auto line = detail::stats_line(manager, st);
    if (line)
      emit(*line);
    else
      log::error(line.error().message);  // like runc: logged, the stream goes on
  }
};

}  // namespace

Result<void> watch_events(const GlobalOptions& g, const std::string& id,
                          std::chrono::nanoseconds interval,
                          const std::function<void(const std::string&)>& emit) {
  StateStore store(g.root);
  auto c = detail::open_container(store, id);
  if (!c) return std::unexpected(c.error());
  if (interval.count() <= 0) return fail("duration interval must be greater than 0");
  if (c->status == Status::stopped)
    return fail("container with id " + id + " is not running", ESRCH);
  auto manager = detail::recorded_manager(c->state);
  if (!manager) return std::unexpected(manager.error());
  UniqueFd init = open_init_pidfd(c->state);
  if (!init) return {};  // stopped between the status check and now
  auto dir = memory_dir(*manager, c->state);
  if (!dir) return std::unexpected(dir.error());
  auto oom = detail::OomWatch::open(*dir);
  if (!oom) return std::unexpected(oom.error().context("registering for OOM notifications"));
  auto timer = interval_timer(interval);
  if (!timer) return std::unexpected(timer.error());

  Loop loop{*manager, c->state, *oom, emit};
  pollfd fds[3] = {
      {oom->fd(), oom->poll_events(), 0}, {timer->get(), POLLIN, 0}, {init.get(), POLLIN, 0}};
  for (;;) {
    int n = ::poll(fds, 3, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("poll");
    if (fds[0].revents != 0 && loop.report_oom()) return {};
    if (fds[1].revents & POLLIN) loop.report_stats(timer->get());
    if (fds[2].revents != 0) {
      (void)loop.report_oom();  // an OOM that killed the init is reported before we end
      return {};
    }
  }
}

}  // namespace keel::manage
