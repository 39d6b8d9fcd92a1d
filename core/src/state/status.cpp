// Container status derived from the kernel: the recorded init pid, its start time (so a recycled
// pid is not mistaken for init), its scheduler state, and exec.fifo for "created".
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <string>

#include "keel/state.hpp"

namespace keel {
namespace {

struct ProcStat {
  char state = '?';
  uint64_t start_time = 0;
};

// /proc/<pid>/stat: "pid (comm) S ppid ... starttime(22) ...". comm may hold spaces and
// parentheses, so fields are counted from the last ')'.
std::optional<ProcStat> read_proc_stat(pid_t pid) {
  if (pid <= 0) return std::nullopt;
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return std::nullopt;
  char buf[1024];
  ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
  if (n <= 0) return std::nullopt;
  std::string_view text(buf, static_cast<std::size_t>(n));
  auto close = text.rfind(')');
  if (close == std::string_view::npos || close + 2 >= text.size()) return std::nullopt;
  std::string_view rest = text.substr(close + 2);  // starts at field 3 (state)
  ProcStat st;
  st.state = rest[0];
  // Field 3 is at index 0 of `rest`; skip 19 separators to reach field 22.
  std::size_t pos = 0;
  for (int field = 3; field < 22; ++field) {
    pos = rest.find(' ', pos);
    if (pos == std::string_view::npos) return std::nullopt;
    ++pos;
  }
  auto end = rest.find(' ', pos);
  std::string_view value =
      rest.substr(pos, end == std::string_view::npos ? rest.size() - pos : end - pos);
  if (std::from_chars(value.data(), value.data() + value.size(), st.start_time).ec != std::errc{})
    return std::nullopt;
  return st;
}

}  // namespace

std::string_view to_string(Status s) {
  switch (s) {
    case Status::creating:
      return "creating";
    case Status::created:
      return "created";
    case Status::running:
      return "running";
    case Status::paused:
      return "paused";
    case Status::stopped:
      return "stopped";
  }
  return "unknown";
}

std::optional<uint64_t> process_start_time(pid_t pid) {
  auto st = read_proc_stat(pid);
  if (!st) return std::nullopt;
  return st->start_time;
}

bool init_alive(const ContainerState& state) {
  auto st = read_proc_stat(state.init_pid);
  if (!st) return false;
  if (st->state == 'Z' || st->state == 'X' || st->state == 'x') return false;
  return st->start_time == state.init_start_time;
}

namespace {

// pid 0 is recorded at the start of `create` (so a killed create can be cleaned up). While that
// create still runs it holds the container's lock; a lock nobody holds means the create died.
bool create_in_progress(const std::string& container_dir) {
  UniqueFd fd(::open((container_dir + "/lock").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return false;
  if (::flock(fd.get(), LOCK_SH | LOCK_NB) == 0) return false;
  return errno == EWOULDBLOCK;
}

}  // namespace

Status observed_status(const ContainerState& state, const std::string& container_dir) {
  if (state.init_pid == 0 && create_in_progress(container_dir)) return Status::creating;
  return derive_status(state, container_dir);
}

Status derive_status(const ContainerState& state, const std::string& container_dir) {
  if (!init_alive(state)) return Status::stopped;
  // A container paused while still created reports "paused", as runc does.
  if (state.paused) return Status::paused;
  struct stat sb;
  if (::stat((container_dir + "/exec.fifo").c_str(), &sb) == 0) return Status::created;
  return Status::running;
}

}  // namespace keel
