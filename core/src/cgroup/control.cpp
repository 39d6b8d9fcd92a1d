// Freeze, freezer state, pids, kill-all and destroy: what only needs the cgroup's dirs.
#include "keel/cgroup/control.hpp"

#include <dirent.h>
#include <signal.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <thread>

#include "keel/cgroup/fs.hpp"

namespace keel::cgroup {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kFreezeTimeout = std::chrono::seconds(10);

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Polls `done` with growing sleeps (1ms .. 20ms) until it holds or the timeout passes.
Result<bool> wait_for(auto&& done) {
  auto deadline = Clock::now() + kFreezeTimeout;
  auto delay = std::chrono::milliseconds(1);
  for (int i = 0;; ++i) {
    auto r = done(i);
    if (!r || *r) return r;
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(20));
  }
}

Result<void> freeze_v1(const std::string& dir, bool frozen) {
  const char* want = frozen ? "FROZEN" : "THAWED";
  auto done = wait_for([&](int attempt) -> Result<bool> {
    // A freeze can stall in FREEZING; thawing and re-freezing every few tries unsticks it.
    if (frozen && attempt > 0 && attempt % 25 == 0)
      (void)write_file(dir, "freezer.state", "THAWED");
    if (auto w = write_file(dir, "freezer.state", want); !w) return std::unexpected(w.error());
    auto state = read_file(join(dir, "freezer.state"));
    if (!state) return std::unexpected(state.error());
    return trim(*state) == want;
  });
  if (!done) return std::unexpected(done.error());
  if (*done) return {};
  if (frozen) (void)write_file(dir, "freezer.state", "THAWED");
  return fail("timed out waiting for " + join(dir, "freezer.state") + " to read " + want,
              ETIMEDOUT);
}

Result<bool> v2_frozen(const std::string& dir) {
  auto events = read_file(join(dir, "cgroup.events"));
  if (!events) return std::unexpected(events.error());
  for (const auto& [k, v] : parse_flat_keyed(*events))
    if (k == "frozen") return v == 1;
  return false;
}

Result<void> freeze_v2(const std::string& dir, bool frozen) {
  if (auto w = write_file(dir, "cgroup.freeze", frozen ? "1" : "0"); !w) return w;
  auto done = wait_for([&](int) -> Result<bool> {
    auto f = v2_frozen(dir);
    if (!f) return f;
    return *f == frozen;
  });
  if (!done) return std::unexpected(done.error());
  if (*done) return {};
  if (frozen) (void)write_file(dir, "cgroup.freeze", "0");
  return fail("timed out waiting for " + join(dir, "cgroup.events") + " to report frozen " +
                  (frozen ? "1" : "0"),
              ETIMEDOUT);
}

void collect_pids(const std::string& dir, std::vector<pid_t>& out) {
  if (auto procs = read_file(join(dir, "cgroup.procs"))) {
    std::string_view s = *procs;
    while (!s.empty()) {
      size_t eol = s.find('\n');
      std::string_view line = s.substr(0, eol);
      pid_t pid = 0;
      if (std::from_chars(line.data(), line.data() + line.size(), pid).ec == std::errc())
        out.push_back(pid);
      s = eol == std::string_view::npos ? std::string_view() : s.substr(eol + 1);
    }
  }
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> children;
  while (dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (e->d_type == DT_DIR && name != "." && name != "..") children.push_back(join(dir, name));
  }
  ::closedir(d);
  for (const auto& c : children) collect_pids(c, out);
}

// The hierarchy whose tree we read pids from.
std::string pid_dir(const CgroupSet& set) {
  if (set.mode == Mode::v2) return set.dir_for("unified");
  for (const char* c : {"freezer", "pids", "memory", "devices", "cpu"}) {
    std::string d = set.dir_for(c);
    if (!d.empty()) return d;
  }
  return set.dirs.empty() ? std::string() : set.dirs.begin()->second;
}

}  // namespace

Result<void> freeze(const CgroupSet& set, bool frozen) {
  if (set.mode == Mode::v2) return freeze_v2(set.dir_for("unified"), frozen);
  std::string dir = set.dir_for("freezer");
  if (dir.empty())
    return fail(std::string("cannot ") + (frozen ? "pause" : "resume") +
                    ": the freezer cgroup controller is not available on this host",
                EOPNOTSUPP);
  return freeze_v1(dir, frozen);
}

Result<std::string> freezer_state(const CgroupSet& set) {
  if (set.mode == Mode::v2) {
    std::string dir = set.dir_for("unified");
    auto f = read_file(join(dir, "cgroup.freeze"));
    if (!f) return f.error().code == ENOENT ? Result<std::string>("running") : f;
    if (trim(*f) != "1") return std::string("running");
    auto frozen = v2_frozen(dir);
    if (!frozen) return std::unexpected(frozen.error());
    return std::string(*frozen ? "paused" : "pausing");
  }
  std::string dir = set.dir_for("freezer");
  if (dir.empty()) return std::string("running");
  auto s = read_file(join(dir, "freezer.state"));
  if (!s) return s;
  std::string state = trim(*s);
  if (state == "FROZEN") return std::string("paused");
  if (state == "FREEZING") return std::string("pausing");
  return std::string("running");
}

Result<std::vector<pid_t>> all_pids(const CgroupSet& set) {
  std::string dir = pid_dir(set);
  if (dir.empty()) return fail("the container has no cgroup directory", ENOENT);
  if (!exists(dir)) return fail("cgroup " + dir + " does not exist", ENOENT);
  std::vector<pid_t> out;
  collect_pids(dir, out);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<void> kill_all(const CgroupSet& set, int signal) {
  if (set.mode == Mode::v2 && signal == SIGKILL) {
    std::string dir = set.dir_for("unified");
    if (exists(join(dir, "cgroup.kill"))) return write_file(dir, "cgroup.kill", "1");
  }
  // An empty cgroup (the usual case after the init exited) has nothing to signal and nothing
  // that could fork: skip the freeze/thaw round trip.
  if (auto before = all_pids(set); before && before->empty()) return {};
  // Frozen tasks cannot fork between our read of the pid list and the signal.
  bool can_freeze = set.mode == Mode::v2 || !set.dir_for("freezer").empty();
  bool frozen = can_freeze && freeze(set, true).has_value();
  auto pids = all_pids(set);
  if (pids) {
    for (pid_t pid : *pids) {
      if (::kill(pid, signal) != 0 && errno != ESRCH) {
        if (frozen) (void)freeze(set, false);
        return sys_error("signalling pid " + std::to_string(pid));
      }
    }
  }
  if (frozen) {
    if (auto t = freeze(set, false); !t) return t;
  }
  if (!pids) return std::unexpected(pids.error());
  return {};
}

Result<void> destroy(const CgroupSet& set) {
  Result<void> first;
  for (const auto& [controller, dir] : set.dirs) {
    auto r = remove_cgroup(dir);
    if (!r && first) first = r;
  }
  return first;
}

}  // namespace keel::cgroup
