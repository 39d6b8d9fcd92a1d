// create: validate, record, create the cgroup, clone the init and walk it through its setup.
#include "launch.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <rapidjson/document.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <optional>

#include "console.hpp"
#include "create_checks.hpp"
#include "id_maps.hpp"
#include "init_context.hpp"
#include "keel/linux/process.hpp"
#include "keel/linux/seccomp_install.hpp"
#include "keel/log.hpp"
#include "keel/plugins.hpp"
#include "keel/spec/parse.hpp"
#include "keel/test_hooks.hpp"
#include "namespaces.hpp"
#include "notify_socket.hpp"
#include "process_handle.hpp"
#include "runtime_files.hpp"
#include "runtime_hooks.hpp"
#include "seccomp_program.hpp"
#include "sync_channel.hpp"

namespace keel::runtime {
namespace {

// Undoes a failed create in reverse order: the init, its cgroup, the state dir.
struct Rollback {
  StateStore* store = nullptr;
  std::string id;
  std::optional<CgroupManager> cgroup;
  std::string cgroup_state;
  pid_t child = 0;
  int pidfd = -1;
  bool armed = true;

  ~Rollback() {
    if (!armed) return;
    if (child > 0) {
      if (pidfd >= 0) (void)pidfd_signal(pidfd, SIGKILL);
      ::waitpid(child, nullptr, 0);
    }
    if (cgroup && !cgroup_state.empty()) {
      if (auto r = cgroup->destroy(cgroup_state); !r) log::warning(r.error().message);
    }
    if (store) (void)store->remove(id);
  }
};

pid_t clone_init(unsigned long flags, int cgroup_fd, int* pidfd) {
  clone_args args{};
  args.flags = flags | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(pidfd);
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup_fd);
  }
  pid_t pid = static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
  if (pid < 0 && cgroup_fd >= 0) {
    // The v2 cgroup may refuse a direct clone (e.g. domain rules); apply() moves it instead.
    return clone_init(flags, -1, pidfd);
  }
  return pid;
}

// The controller -> host dir map the rootfs needs for "cgroup" mounts.
Result<std::map<std::string, std::string>> cgroup_paths(const CgroupManager& manager,
                                                        const std::string& state) {
  auto json = manager.paths(state);
  if (!json) return std::unexpected(json.error());
  rapidjson::Document doc;
  doc.Parse(json->c_str());
  std::map<std::string, std::string> out;
  if (doc.HasParseError() || !doc.IsObject()) return fail("cgroup manager paths: not an object");
  for (const auto& m : doc.GetObject())
    if (m.value.IsString()) out[m.name.GetString()] = m.value.GetString();
  return out;
}

// rlimits, oom_score_adj and the initial CPU affinity are set on the init from here, before it
// enters a user namespace (inside one it could not raise them) and before the cgroup join.
Result<void> set_limits_from_outside(const spec::Config& cfg, pid_t pid) {
  const auto& p = *cfg.process;
  if (p.exec_cpu_affinity && !p.exec_cpu_affinity->initial.empty()) {
    if (auto r = process::apply_cpu_affinity(pid, p.exec_cpu_affinity->initial); !r) return r;
  }
  if (p.oom_score_adj) {
    if (auto r = process::apply_oom_score_adj(*p.oom_score_adj, pid); !r) return r;
  }
  return process::apply_rlimits(p.rlimits, pid);
}

// The init's last messages before it blocks on exec.fifo; a seccomp notify listener may come
// first, to be handed to the agent at linux.seccomp.listenerPath.
Result<void> wait_until_ready(int sync, const spec::Config& cfg, const ContainerState& st) {
  for (;;) {
    auto msg = sync_recv(sync);
    if (!msg) return std::unexpected(msg.error());
    if (msg->type == SyncType::error) return std::unexpected(Error{msg->err, msg->text});
    if (msg->type == SyncType::waiting_fifo) return {};
    if (msg->type != SyncType::listener || !msg->fd) return fail("unexpected sync message");
    const auto& sc = *cfg.linux->seccomp;
    seccomp::ListenerState ls;
    ls.oci_version = st.oci_version;
    ls.id = st.id;
    ls.pid = st.init_pid;
    ls.bundle = st.bundle;
    ls.annotations = st.annotations;
    std::string text = seccomp::listener_message(ls, st.init_pid, sc.listener_metadata);
    if (auto r = seccomp::send_listener_fd(sc.listener_path, msg->fd.get(), text); !r) return r;
    if (auto r = sync_send(sync, SyncType::listener_done); !r) return r;
  }
}

ContainerState initial_state(const CreateOptions& o, const spec::Config& cfg,
                             const std::string& bundle, const std::string& rootfs) {
  ContainerState st;
  st.oci_version = cfg.oci_version;
  st.id = o.id;
  st.bundle = bundle;
  st.rootfs = rootfs;
  st.annotations = cfg.annotations;
  st.created = rfc3339_nano_now();
  return st;
}

}  // namespace

std::string cgroup_request(const std::string& id, const spec::Config& cfg) {
  std::string path = cfg.linux ? cfg.linux->cgroups_path : "";
  auto quote = [](std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\') out += '\\';
      if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out += buf;
        continue;
      }
      out += c;
    }
    return out + "\"";
  };
  std::string resources = cfg.resources_json.empty() ? "null" : cfg.resources_json;
  return "{\"id\":" + quote(id) + ",\"cgroupsPath\":" + quote(path) +
         ",\"resources\":" + resources + ",\"rootless\":false}";
}

Result<Launched> launch_container(const GlobalOptions& g, const CreateOptions& o,
                                  UniqueFd own_console) {
  if (auto r = validate_container_id(o.id); !r) return std::unexpected(r.error());
  std::string bundle = absolute_path(o.bundle.empty() ? "." : o.bundle);
  auto config = spec::load_config(bundle);
  if (!config) return std::unexpected(config.error());
  auto checked = check_before_create(*config, bundle);
  if (!checked) return std::unexpected(checked.error());

  StateStore store(g.root);
  auto lock = store.create_dir_locked(o.id);
  if (!lock) return std::unexpected(lock.error());
  KEEL_TEST_STEP("state-dir-locked");
  Rollback rollback;
  rollback.store = &store;
  rollback.id = o.id;
  std::string dir = store.dir_of(o.id);
  if (notify_socket_host()) {
    if (auto r = setup_notify_socket(*config, dir); !r) return std::unexpected(r.error());
  }

  Launched out;
  out.state = initial_state(o, *config, bundle, checked->rootfs);
  PluginHost host(load_plugin_config().value_or(PluginConfig{}));
  auto manager = host.cgroup_manager(g.systemd_cgroup);
  if (!manager) return std::unexpected(manager.error());
  // Recorded before the cgroup exists (manager named, no cgroup state yet): if this process is
  // SIGKILLed between the manager's create and the write below, delete --force still knows which
  // manager to ask and rebuilds the request from config_json (teardown in delete.cpp).
  out.state.cgroup_manager = manager->name();
  out.state.use_systemd = g.systemd_cgroup;
  out.state.config_json = spec::to_json(*config);
  if (auto r = store.write(out.state); !r) return std::unexpected(r.error());
  KEEL_TEST_STEP("manager-recorded");
  auto cg = manager->create(cgroup_request(o.id, *config));
  if (!cg) return std::unexpected(cg.error());
  KEEL_TEST_STEP("cgroup-created");
  rollback.cgroup = *manager;
  rollback.cgroup_state = cg->state;
  out.state.cgroup_manager = manager->name();
  out.state.cgroup_state = cg->state;
  out.state.use_systemd = g.systemd_cgroup;
  // Recorded at once (pid 0 = nothing runs yet): if this process is SIGKILLed mid-create, the
  // engine's `delete --force` still finds and destroys the cgroup.
  if (auto r = store.write(out.state); !r) return std::unexpected(r.error());
  KEEL_TEST_STEP("cgroup-recorded");

  auto seccomp = compile_seccomp(host, *config, g.root);
  if (!seccomp) return std::unexpected(seccomp.error());
  auto labels = plan_labels(host, *config);
  if (!labels) return std::unexpected(labels.error());

  std::string fifo = dir + "/exec.fifo";
  mode_t old_umask = ::umask(0);  // the fifo is 0622 like runc's, whatever the caller's umask
  int fifo_rc = ::mkfifo(fifo.c_str(), 0622);
  ::umask(old_umask);
  if (fifo_rc < 0) return sys_error("creating exec fifo " + fifo);
  UniqueFd fifo_path(::open(fifo.c_str(), O_PATH | O_CLOEXEC));
  if (!fifo_path) return sys_error("opening exec fifo " + fifo);
  KEEL_TEST_STEP("exec-fifo-made");

  UniqueFd console_socket;
  if (config->process->terminal && o.console_socket.empty() && own_console) {
    console_socket = std::move(own_console);
  } else if (config->process->terminal) {
    if (o.console_socket.empty())
      return fail("cannot allocate tty if keel will detach without setting console socket");
    auto sock = connect_console_socket(o.console_socket);
    if (!sock) return std::unexpected(sock.error());
    console_socket = std::move(*sock);
  } else if (!o.console_socket.empty()) {
    return fail("cannot use console socket if keel will not detach or allocate tty");
  }

  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return sys_error("creating sync socketpair");
  UniqueFd parent_end(sv[0]), child_end(sv[1]);

  auto ns = plan_namespaces(*config);
  if (!ns) return std::unexpected(ns.error());

  InitContext ctx;
  ctx.config = &*config;
  ctx.id = o.id;
  ctx.bundle = bundle;
  ctx.rootfs = checked->rootfs;
  ctx.exec_path = checked->exec_path;
  ctx.namespaces = &*ns;
  ctx.seccomp = std::move(*seccomp);
  ctx.sync_fd = child_end.get();
  ctx.fifo_path_fd = fifo_path.get();
  ctx.preserve_fds = o.preserve_fds;
  ctx.console_socket_fd = console_socket ? console_socket.get() : -1;
  ctx.labels = std::move(*labels);
  ctx.no_pivot = o.no_pivot;
  ctx.no_new_keyring = o.no_new_keyring;
  ctx.parent_pid = ::getpid();
  ctx.close_at_start = {lock->get(), parent_end.get()};
  ctx.state = &out.state;
  auto paths = cgroup_paths(*manager, cg->state);
  if (!paths) return std::unexpected(paths.error());
  ctx.cgroup_paths = std::move(*paths);

  auto switcher = ChildNamespaceSwitch::enter(*ns);
  if (!switcher) return std::unexpected(switcher.error());
  // Non-dumpable before the child exists (it inherits the flag): nothing in the container's
  // namespaces may ptrace it or open its /proc/<pid>/exe (CVE-2019-5736). execve resets it.
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  int pidfd = -1;
  int cgroup_fd = cg->clone_into ? cg->clone_into.get() : -1;
  pid_t pid = ns->pid_in_joined_user ? clone_in_joined_user_namespace(*ns, cgroup_fd, &pidfd)
                                     : clone_init(ns->clone_flags, cgroup_fd, &pidfd);
  if (pid == 0) init_main(ctx);
  int clone_err = errno;
  ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
  if (auto r = switcher->restore(); !r) log::warning(r.error().message);
  if (pid < 0) return sys_error("cloning the container init", clone_err);
  out.pid = pid;
  out.pidfd.reset(pidfd);
  rollback.child = pid;
  rollback.pidfd = pidfd;
  child_end.reset();
  KEEL_TEST_STEP("init-cloned");

  auto start_error = [](Error e) {
    return std::unexpected(e.context("unable to start container process"));
  };
  if (auto r = set_limits_from_outside(*config, pid); !r) return start_error(r.error());
  if (auto r = manager->apply(cg->state, pid); !r) return start_error(r.error());
  KEEL_TEST_STEP("init-in-cgroup");
  if (ns->new_user) {
    if (auto r = write_id_maps(pid, *config); !r) return start_error(r.error());
  }
  if (auto r = sync_send(parent_end.get(), SyncType::go); !r) return start_error(r.error());
  out.state.init_pid = pid;
  if (parent_runs_hooks(*config)) {
    if (auto r = sync_expect(parent_end.get(), SyncType::run_hooks); !r)
      return start_error(r.error());
    std::string creating = state_json(out.state, Status::creating, false);
    if (auto r = run_runtime_hooks(config->hooks->prestart, creating, "prestart"); !r)
      return start_error(r.error());
    if (auto r = run_runtime_hooks(config->hooks->create_runtime, creating, "createRuntime"); !r)
      return start_error(r.error());
    if (auto r = sync_send(parent_end.get(), SyncType::hooks_done); !r)
      return start_error(r.error());
  }
  if (auto r = wait_until_ready(parent_end.get(), *config, out.state); !r)
    return start_error(r.error());
  KEEL_TEST_STEP("init-ready");

  auto start_time = process_start_time(pid);
  if (!start_time) return start_error(start_time.error());
  out.state.init_start_time = *start_time;
  if (!o.pid_file.empty()) {
    if (auto r = write_pid_file(o.pid_file, pid); !r) return std::unexpected(r.error());
  }
  if (auto r = store.write(out.state); !r) return std::unexpected(r.error());
  KEEL_TEST_STEP("state-created");
  if (!o.pidfd_socket.empty()) {
    if (auto r = send_fd_to_socket(o.pidfd_socket, out.pidfd.get(), "pidfd"); !r)
      return std::unexpected(r.error().context("sending the init's pidfd"));
  }

  rollback.armed = false;
  out.terminal = config->process->terminal;
  out.config = std::move(*config);
  out.cgroup_manager = *manager;
  out.sync = std::move(parent_end);
  out.lock = std::move(*lock);
  return out;
}

}  // namespace keel::runtime
