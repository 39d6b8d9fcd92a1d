// The exec'd process before execve: joins the init's namespaces (user first, mount last; the
// pid namespace was chosen by the runtime before the clone), takes a pty from the container's
// devpts when asked, then finalize() as the init does, and execve.
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstring>

#include "console.hpp"
#include "exec_internal.hpp"
#include "keel/linux/fd_passing.hpp"
#include "keel/linux/process.hpp"
#include "keel/linux/seccomp_install.hpp"
#include "sync_channel.hpp"

namespace keel::exec_detail {
namespace {

Result<void> join_namespaces(ChildContext& ctx) {
  for (auto& ns : ctx.joins) {
    if (::setns(ns.fd.get(), ns.flag) < 0)
      return sys_error("joining the container's namespace (" + std::to_string(ns.flag) + ")");
    ns.fd.reset();
  }
  // setns(mount) put root and cwd at the namespace's root, the container's rootfs.
  if (::chdir("/") < 0) return sys_error("chdir / in the container");
  return {};
}

// runc's utils.SendFile: the name "/dev/ptmx" as data, the master as SCM_RIGHTS.
Result<void> send_fd(int sock, int fd) {
  if (auto r = send_with_fd(sock, "/dev/ptmx", fd); !r)
    return std::unexpected(r.error().context("sending the pty master to the console socket"));
  return {};
}

// A pty from the container's devpts (we are in its mount namespace): the master goes to the
// socket, the slave becomes the controlling terminal and stdio. Unlike the init's console,
// nothing is mounted at /dev/console.
Result<void> setup_exec_console(int sock, const std::optional<spec::ConsoleSize>& size) {
  UniqueFd master(::open("/dev/pts/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master) master.reset(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master) return sys_error("opening /dev/pts/ptmx");
  int unlock = 0;
  if (::ioctl(master.get(), TIOCSPTLCK, &unlock) < 0) return sys_error("unlocking the pty");
  UniqueFd slave(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave) return sys_error("opening the pty slave");
  if (size && size->height && size->width) {
    winsize ws{static_cast<unsigned short>(size->height), static_cast<unsigned short>(size->width),
               0, 0};
    ::ioctl(master.get(), TIOCSWINSZ, &ws);
  }
  if (auto r = send_fd(sock, master.get()); !r) return r;
  if (::setsid() < 0) return sys_error("setsid");
  if (::ioctl(slave.get(), TIOCSCTTY, 0) < 0) return sys_error("setting the controlling terminal");
  for (int fd = 0; fd <= 2; ++fd)
    if (::dup2(slave.get(), fd) < 0) return sys_error("dup2 the pty slave");
  return {};
}

Result<void> send_listener(int sync_fd, int listener) {
  using namespace runtime;
  if (auto r = sync_send_fd(sync_fd, SyncType::listener, listener); !r) return r;
  return sync_expect(sync_fd, SyncType::listener_done);
}

Result<void> child_sequence(ChildContext& ctx) {
  using namespace runtime;
  if (auto r = sync_expect(ctx.sync_fd, SyncType::go); !r) return r;
  if (auto r = join_namespaces(ctx); !r) return r;
  if (ctx.console_socket_fd >= 0) {
    if (auto r = setup_exec_console(ctx.console_socket_fd, ctx.process->console_size); !r) return r;
    ::close(ctx.console_socket_fd);
  }
  process::FinalizeOptions opts;
  opts.personality = ctx.personality;
  opts.preserve_fds = ctx.preserve_fds;
  if (!ctx.labels.exec.empty())
    opts.on_ready = [&ctx]() -> Result<void> { return runtime::apply_exec_labels(ctx.labels); };
  if (ctx.seccomp) {
    opts.install_seccomp = [&ctx]() -> Result<void> {
      auto listener = seccomp::install_filter(ctx.seccomp->bpf, ctx.seccomp->flags,
                                              ctx.seccomp->needs_listener);
      if (!listener) return std::unexpected(listener.error());
      if (*listener) return send_listener(ctx.sync_fd, listener->get());
      return {};
    };
  }
  auto plan = process::finalize(*ctx.process, opts);
  if (!plan) return std::unexpected(plan.error());
  // A detached exec outlives the runtime: it must not die with it.
  ::prctl(PR_SET_PDEATHSIG, 0);
  return process::exec_process(*plan);
}

}  // namespace

void child_main(ChildContext& ctx) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (ctx.signal_mask) ::sigprocmask(SIG_SETMASK, &*ctx.signal_mask, nullptr);
  for (int fd : ctx.close_at_start) ::close(fd);
  auto r = child_sequence(ctx);
  if (!runtime::sync_send(ctx.sync_fd, runtime::SyncType::error, r.error().code,
                          r.error().message)) {
    std::string line = "keel exec: " + r.error().message + "\n";
    (void)!::write(2, line.data(), line.size());
  }
  ::_exit(255);
}

}  // namespace keel::exec_detail
