// OCI hooks, as runc's configs.Command.Run runs them, without threads: one poll loop feeds the
// state to stdin, collects stdout/stderr and watches a pidfd for exit or timeout.
#include "keel/linux/hooks.hpp"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>

#include "go_errors.hpp"
#include "keel/fd.hpp"

extern char** environ;

namespace keel::process {
namespace {

using Clock = std::chrono::steady_clock;

// Raw syscalls: glibc 2.36's <sys/pidfd.h> declares these without C linkage for C++.
int pidfd_open(pid_t pid) {
  return static_cast<int>(syscall(SYS_pidfd_open, pid, 0));
}
int pidfd_kill(int pidfd) {
  return static_cast<int>(syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0));
}
constexpr size_t kMaxCapture = 1 << 20;  // per stream; the rest of a chatty hook is dropped

struct Pipe {
  UniqueFd read, write;
};

// Both ends O_CLOEXEC and above 2, so the child's dup2 onto 0-2 never clobbers another end.
Result<Pipe> make_pipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return sys_error("pipe2");
  Pipe p{UniqueFd(fds[0]), UniqueFd(fds[1])};
  for (UniqueFd* end : {&p.read, &p.write}) {
    if (end->get() > 2) continue;
    UniqueFd moved(fcntl(end->get(), F_DUPFD_CLOEXEC, 3));
    if (!moved) return sys_error("fcntl(F_DUPFD_CLOEXEC)");
    *end = std::move(moved);
  }
  return p;
}

// Writing the state to a hook that exits without reading it must not kill us with SIGPIPE:
// block it while the hook runs and swallow one we caused.
class SigpipeBlock {
 public:
  SigpipeBlock() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    sigpending(&pending_before_);
    sigprocmask(SIG_BLOCK, &set, &old_);
  }
  ~SigpipeBlock() {
    sigset_t pending;
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE) && !sigismember(&pending_before_, SIGPIPE)) {
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGPIPE);
      const timespec zero{};
      sigtimedwait(&set, nullptr, &zero);
    }
    sigprocmask(SIG_SETMASK, &old_, nullptr);
  }
  SigpipeBlock(const SigpipeBlock&) = delete;
  SigpipeBlock& operator=(const SigpipeBlock&) = delete;
  const sigset_t& old_mask() const { return old_; }

 private:
  sigset_t old_{}, pending_before_{};
};

std::vector<char*> c_array(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

[[noreturn]] void exec_child(const spec::Hook& hook, char** argv, char** envp, Pipe& in, Pipe& out,
                             Pipe& err, Pipe& report) {
  if (dup2(in.read.get(), 0) < 0 || dup2(out.write.get(), 1) < 0 || dup2(err.write.get(), 2) < 0) {
    const int e = errno;
    (void)!write(report.write.get(), &e, sizeof e);
    _exit(127);
  }
  // Every other fd of ours is closed by execve; the report pipe stays usable until then.
  syscall(SYS_close_range, 3, UINT_MAX, CLOSE_RANGE_CLOEXEC);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execve(hook.path.c_str(), argv, envp);
  const int e = errno;
  (void)!write(report.write.get(), &e, sizeof e);
  _exit(127);
}

struct Child {
  pid_t pid = -1;
  UniqueFd pidfd;
};

// Reaps the hook; returns its wait status (si_code, si_status).
std::pair<int, int> reap(const Child& c) {
  siginfo_t info{};
  while (waitid(P_PIDFD, c.pidfd.get(), &info, WEXITED) != 0 && errno == EINTR) {
  }
  return {info.si_code, info.si_status};
}

void drain(UniqueFd& fd, std::string& sink) {
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n > 0) {
      if (sink.size() < kMaxCapture)
        sink.append(buf, std::min<size_t>(n, kMaxCapture - sink.size()));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 || errno != EAGAIN) fd.reset();  // EOF or a real error: stop watching it
    return;
  }
}

struct Io {
  UniqueFd stdin_w, stdout_r, stderr_r;
  std::string_view pending;  // state still to write
  std::string out, err;
};

// Moves data until the hook exits (true) or the deadline passes (false).
Result<bool> pump(const Child& child, Io& io, std::optional<Clock::time_point> deadline) {
  for (;;) {
    pollfd fds[4] = {{child.pidfd.get(), POLLIN, 0},
                     {io.stdout_r.get(), POLLIN, 0},
                     {io.stderr_r.get(), POLLIN, 0},
                     {io.stdin_w.get(), POLLOUT, 0}};
    int timeout_ms = -1;
    if (deadline) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(*deadline - Clock::now());
      if (left.count() <= 0) return false;
      timeout_ms = static_cast<int>(std::min<int64_t>(left.count(), INT_MAX));
    }
    const int n = poll(fds, 4, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("poll");
    if (fds[1].revents) drain(io.stdout_r, io.out);
    if (fds[2].revents) drain(io.stderr_r, io.err);
    if (fds[3].revents & POLLOUT) {
      const ssize_t w = write(io.stdin_w.get(), io.pending.data(), io.pending.size());
      if (w > 0) io.pending.remove_prefix(w);
      if ((w < 0 && errno != EAGAIN && errno != EINTR) || io.pending.empty()) io.stdin_w.reset();
    } else if (fds[3].revents) {
      io.stdin_w.reset();  // POLLERR/POLLHUP: the hook closed its stdin
    }
    if (fds[0].revents) {
      // Exited: what it wrote before exiting is already in the pipes.
      if (io.stdout_r) drain(io.stdout_r, io.out);
      if (io.stderr_r) drain(io.stderr_r, io.err);
      return true;
    }
  }
}

std::string format_timeout(int32_t seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1fs", static_cast<double>(seconds));
  return buf;
}

Result<void> run_hook(const spec::Hook& hook, const std::string& state) {
  const std::vector<std::string> args = hook.args.empty() ? std::vector{hook.path} : hook.args;
  auto argv = c_array(args);
  auto envv = c_array(hook.env);
  char** envp = hook.env.empty() ? environ : envv.data();

  auto in = make_pipe(), out = make_pipe(), err = make_pipe(), report = make_pipe();
  for (auto* p : {&in, &out, &err, &report}) {
    if (!*p) return std::unexpected(p->error());
  }
  SigpipeBlock sigpipe;
  Child child;
  child.pid = fork();
  if (child.pid < 0) return fail("fork/exec " + hook.path + ": " + detail::go_errno_text(errno));
  if (child.pid == 0) exec_child(hook, argv.data(), envp, *in, *out, *err, *report);
  // The child is ours and unreaped, so its pid cannot be reused before pidfd_open.
  child.pidfd.reset(pidfd_open(child.pid));
  if (!child.pidfd) {
    const int e = errno;
    kill(child.pid, SIGKILL);
    waitpid(child.pid, nullptr, 0);
    return sys_error("pidfd_open", e);
  }
  in->read.reset();
  out->write.reset();
  err->write.reset();
  report->write.reset();

  // EOF means execve succeeded (the pipe was close-on-exec); an int is the child's errno.
  int exec_errno = 0;
  ssize_t got;
  while ((got = read(report->read.get(), &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR) {
  }
  if (got == sizeof exec_errno) {
    reap(child);
    return fail("fork/exec " + hook.path + ": " + detail::go_errno_text(exec_errno), exec_errno);
  }

  Io io{std::move(in->write), std::move(out->read), std::move(err->read), state, {}, {}};
  for (UniqueFd* fd : {&io.stdin_w, &io.stdout_r, &io.stderr_r}) {
    fcntl(fd->get(), F_SETFL, fcntl(fd->get(), F_GETFL) | O_NONBLOCK);
  }
  if (io.pending.empty()) io.stdin_w.reset();
  std::optional<Clock::time_point> deadline;
  if (hook.timeout) deadline = Clock::now() + std::chrono::seconds(*hook.timeout);

  auto exited = pump(child, io, deadline);
  if (!exited || !*exited) {
    pidfd_kill(child.pidfd.get());
    reap(child);
    if (!exited) return std::unexpected(exited.error());
    return fail("hook ran past specified timeout of " + format_timeout(*hook.timeout), ETIMEDOUT);
  }
  const auto [code, status] = reap(child);
  if (code == CLD_EXITED && status == 0) return {};
  return fail("error running hook: " + detail::go_wait_status_text(code, status) +
                  ", stdout: " + io.out + ", stderr: " + io.err,
              ECHILD);
}

}  // namespace

Result<void> run_hooks(const std::vector<spec::Hook>& hooks, std::string_view phase,
                       const std::string& state_json) {
  for (size_t i = 0; i < hooks.size(); ++i) {
    if (auto r = run_hook(hooks[i], state_json); !r) {
      return std::unexpected(
          r.error().context("error running " + std::string(phase) + " hook #" + std::to_string(i)));
    }
  }
  return {};
}

}  // namespace keel::process
