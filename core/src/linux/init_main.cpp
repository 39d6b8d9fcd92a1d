// The container init's sequence, from the clone to execve (DESIGN.md section 4).
#include <fcntl.h>
#include <linux/keyctl.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "console.hpp"
#include "container_setup.hpp"
#include "init_context.hpp"
#include "keel/test_hooks.hpp"
#include "kernel_settings.hpp"
#include "sync_channel.hpp"

namespace keel::runtime {
namespace {

Result<void> check(Result<void> r, std::string_view what) {
  if (!r) return std::unexpected(r.error().context(what));
  return {};
}

// Blocks in open(O_WRONLY) until `start` opens the fifo for reading, then says so with one byte.
// The fifo is reached through the O_PATH fd taken before pivot_root, so the container cannot
// swap it for something else.
Result<void> wait_for_start(int fifo_path_fd) {
  std::string path = "/proc/self/fd/" + std::to_string(fifo_path_fd);
  UniqueFd fifo(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fifo) return sys_error("open exec fifo");
  if (::write(fifo.get(), "0", 1) != 1) return sys_error("write 0 exec fifo");
  return {};
}

Result<void> become_root_in_user_namespace() {
  // Until the parent wrote the maps our ids were unmapped; become the namespace's root so the
  // mounts and the final setuid work from a known identity (runc does the same).
  if (::setresgid(0, 0, 0) < 0) return sys_error("setresgid to root in user namespace");
  if (::setresuid(0, 0, 0) < 0) return sys_error("setresuid to root in user namespace");
  return {};
}

// Each container gets its own session keyring (runc's default) so keys never leak between
// containers; kernels without keyrings (ENOSYS) are fine. Then, like runc, the keyring is made
// searchable: by its owner's uid, or with a user namespace by "other" (the container's uids are
// not the owner's there); the other permission bits stay as the kernel set them.
Result<void> join_session_keyring(const std::string& id, bool in_user_namespace) {
  std::string name = "_ses." + id;
  long serial = ::syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, name.c_str());
  if (serial < 0) return errno == ENOSYS ? Result<void>{} : sys_error("joining session keyring");
  // KEYCTL_DESCRIBE: "type;uid;gid;perm;description", perm in hex; returns the size it needs.
  std::string desc(64 + name.size(), '\0');
  long n = ::syscall(SYS_keyctl, KEYCTL_DESCRIBE, serial, desc.data(), desc.size());
  if (n < 0 || static_cast<size_t>(n) > desc.size())
    return fail("unable to mod keyring permissions: describing the session keyring", errno);
  const char* field = desc.c_str();
  for (int i = 0; i < 3 && field; ++i) {
    field = std::strchr(field, ';');
    if (field) ++field;
  }
  if (!field) return fail("unable to mod keyring permissions: unexpected description", EINVAL);
  unsigned long perm = std::strtoul(field, nullptr, 16);
  perm |= in_user_namespace ? 0x8 /* KEY_OTH_SEARCH */ : 0x80000 /* KEY_USR_SEARCH */;
  if (::syscall(SYS_keyctl, KEYCTL_SETPERM, serial, perm) < 0)
    return sys_error("unable to mod keyring permissions");
  return {};
}

Result<void> init_sequence(InitContext& ctx) {
  const auto& cfg = *ctx.config;
  if (auto r = sync_expect(ctx.sync_fd, SyncType::go); !r) return r;
  if (auto r = enter_joined_namespaces(*ctx.namespaces, cfg); !r) return r;
  if (ctx.namespaces->has(CLONE_NEWUSER)) {
    if (auto r = become_root_in_user_namespace(); !r) return r;
  }
  if (!ctx.no_new_keyring) {
    if (auto r = join_session_keyring(ctx.id, ctx.namespaces->has(CLONE_NEWUSER)); !r) return r;
  }
  if (auto r = check(prepare_rootfs(ctx), "rootfs setup"); !r) return r;
  KEEL_TEST_STEP("child-mounts-done");

  // prestart and createRuntime hooks run in the runtime's namespaces, by the parent.
  if (parent_runs_hooks(cfg)) {
    if (auto r = sync_send(ctx.sync_fd, SyncType::run_hooks); !r) return r;
    if (auto r = sync_expect(ctx.sync_fd, SyncType::hooks_done); !r) return r;
  }
  if (auto r = run_hooks_in_container(ctx, HookStage::create_container); !r) return r;

  if (auto r = check(enter_rootfs(ctx), "rootfs setup"); !r) return r;
  KEEL_TEST_STEP("child-pivoted");
  if (ctx.console_socket_fd >= 0) {
    if (auto r = check(setup_console(ctx.console_socket_fd, cfg.process->console_size),
                       "setting up the console");
        !r)
      return r;
    ::close(ctx.console_socket_fd);
  }
  // Before finish: /proc/sys is usually a readonlyPath.
  if (auto r = apply_kernel_settings(cfg); !r) return r;
  if (auto r = check(finish_rootfs(ctx), "rootfs setup"); !r) return r;
  if (auto r = apply_process_attributes(ctx); !r) return r;

  // From here on the runtime may exit: don't die with it, and tell it we are ready.
  ::prctl(PR_SET_PDEATHSIG, 0);
  KEEL_TEST_STEP("child-detached");
  if (auto r = sync_send(ctx.sync_fd, SyncType::waiting_fifo); !r) return r;
  if (auto r = wait_for_start(ctx.fifo_path_fd); !r) return r;
  ::close(ctx.fifo_path_fd);

  if (auto r = run_hooks_in_container(ctx, HookStage::start_container); !r) return r;
  return exec_container_process(ctx);
}

}  // namespace

void init_main(InitContext& ctx) {
  // Die with the runtime while it still talks to us. (If it is already gone, the first read of
  // the sync socket sees EOF; getppid() is no test here: it is 0 in a new pid namespace.)
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  // Named like runc's "runc:[2:INIT]" so `ps` tells the waiting init from the runtime itself.
  ::prctl(PR_SET_NAME, "keel:[2:INIT]");
  for (int fd : ctx.close_at_start) ::close(fd);
  KEEL_TEST_STEP("child-started");
  auto r = init_sequence(ctx);
  // init_sequence only returns on failure (exec replaced us otherwise). After `create` the
  // runtime is gone: then stderr (the container's) is the only place left for the reason.
  if (!sync_send(ctx.sync_fd, SyncType::error, r.error().code, r.error().message)) {
    std::string line = "keel init: " + r.error().message + "\n";
    (void)!::write(2, line.data(), line.size());
  }
  ::_exit(1);
}

}  // namespace keel::runtime
