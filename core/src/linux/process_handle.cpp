#include "process_handle.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace keel::runtime {

Result<uint64_t> process_start_time(pid_t pid) {
  std::string path = "/proc/" + std::to_string(pid) + "/stat";
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("opening " + path);
  char buf[1024];
  ssize_t n = ::read(fd.get(), buf, sizeof buf - 1);
  if (n <= 0) return sys_error("reading " + path);
  buf[n] = '\0';
  // comm (field 2) may contain spaces and parentheses: fields restart after the last ')'.
  std::string_view text(buf, n);
  size_t close = text.rfind(')');
  if (close == std::string_view::npos) return fail("malformed " + path);
  const char* p = buf + close + 2;  // at field 3 (state)
  for (int field = 3; field < 22; ++field) {
    p = std::strchr(p, ' ');
    if (!p) return fail("malformed " + path);
    ++p;
  }
  return std::strtoull(p, nullptr, 10);
}

Result<UniqueFd> open_pidfd(pid_t pid) {
  UniqueFd fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!fd) return sys_error("pidfd_open " + std::to_string(pid));
  return fd;
}

Result<UniqueFd> open_pidfd_checked(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return fail("container not running", ESRCH);
  auto fd = open_pidfd(pid);
  if (!fd) return fail("container not running", ESRCH);
  // Check the start time after opening: the pidfd pins this exact process, so if the start time
  // matches now, the pidfd refers to the recorded init and not to a later reuse of its pid.
  auto st = process_start_time(pid);
  if (!st || *st != start_time) return fail("container not running", ESRCH);
  return fd;
}

Result<void> pidfd_signal(int pidfd, int signal) {
  if (::syscall(SYS_pidfd_send_signal, pidfd, signal, nullptr, 0) < 0)
    return sys_error("sending signal " + std::to_string(signal));
  return {};
}

bool wait_pidfd_exit(int pidfd, std::chrono::milliseconds timeout) {
  pollfd p{pidfd, POLLIN, 0};
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return false;
    int r = ::poll(&p, 1, static_cast<int>(left.count()));
    if (r > 0) return true;
    if (r == 0) return false;
    if (errno != EINTR) return false;
  }
}

}  // namespace keel::runtime
