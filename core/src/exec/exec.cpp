// exec, runtime side: checks the container, builds the process, opens the init's namespaces,
// clones the child into the init's pid namespace and cgroup, and either returns once the child
// has exec'd (--detach) or waits for it, forwarding signals and relaying a pty.
#include "keel/exec.hpp"

#include <fcntl.h>
#include <linux/magic.h>
#include <linux/sched.h>
#include <rapidjson/document.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>

#include "console.hpp"
#include "exec_internal.hpp"
#include "foreground.hpp"
#include "keel/linux/exec_lookup.hpp"
#include "keel/linux/process.hpp"
#include "keel/linux/seccomp_install.hpp"
#include "keel/log.hpp"
#include "keel/spec/parse.hpp"
#include "keel/state.hpp"
#include "namespaces.hpp"
#include "process_handle.hpp"
#include "pty_relay.hpp"
#include "runtime_files.hpp"
#include "seccomp_program.hpp"
#include "sync_channel.hpp"

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace keel {
namespace exec_detail {
namespace {

using runtime::SyncType;

struct NsName {
  const char* proc;
  int flag;
};
// The child's join order: user first (it decides what the others may do), mount last.
constexpr NsName kChildJoins[] = {{"user", CLONE_NEWUSER},     {"ipc", CLONE_NEWIPC},
                                  {"uts", CLONE_NEWUTS},       {"net", CLONE_NEWNET},
                                  {"cgroup", CLONE_NEWCGROUP}, {"mnt", CLONE_NEWNS}};

bool same_namespace(int fd, const std::string& own_path) {
  struct stat a, b;
  if (::fstat(fd, &a) < 0 || ::stat(own_path.c_str(), &b) < 0) return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// /proc/<pid>/ns/<name> when it is not already ours (setns into one's own user namespace is
// refused; joining the others again would be a no-op).
Result<UniqueFd> open_init_namespace(pid_t pid, const char* name, const char* own) {
  std::string path = "/proc/" + std::to_string(pid) + "/ns/" + name;
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) {
    if (errno == ENOENT) return UniqueFd();  // kernel without that namespace type
    return sys_error("opening " + path);
  }
  if (same_namespace(fd.get(), std::string("/proc/self/ns/") + own)) return UniqueFd();
  return fd;
}

struct Namespaces {
  std::vector<NamespaceFd> joins;
  runtime::NamespacePlan parent_side;  // pid and time: entered for the child by the runtime
};

Result<Namespaces> open_namespaces(pid_t pid) {
  Namespaces out;
  for (const auto& ns : kChildJoins) {
    auto fd = open_init_namespace(pid, ns.proc, ns.proc);
    if (!fd) return std::unexpected(fd.error());
    if (*fd) out.joins.push_back({ns.flag, std::move(*fd)});
  }
  auto pidns = open_init_namespace(pid, "pid", "pid");
  if (!pidns) return std::unexpected(pidns.error());
  out.parent_side.join_pid = std::move(*pidns);
  auto timens = open_init_namespace(pid, "time", "time");
  if (!timens) return std::unexpected(timens.error());
  out.parent_side.join_time = std::move(*timens);
  return out;
}

// Kills and reaps the child unless disarmed (any failure before it runs).
struct ChildGuard {
  pid_t pid = 0;
  int pidfd = -1;
  bool armed = true;
  ~ChildGuard() {
    if (!armed || pid <= 0) return;
    (void)runtime::pidfd_signal(pidfd, SIGKILL);
    ::waitpid(pid, nullptr, 0);
  }
};

// cgroup_fd >= 0: born in that cgroup (CLONE_INTO_CGROUP). If the kernel refuses (e.g. a v2
// domain rule), *into_cgroup is false and the caller moves the child the old way.
pid_t clone_child(int* pidfd, int cgroup_fd, bool* into_cgroup) {
  clone_args args{};
  args.flags = CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(pidfd);
  args.exit_signal = SIGCHLD;
  if (cgroup_fd >= 0) {
    args.flags |= CLONE_INTO_CGROUP;
    args.cgroup = static_cast<uint64_t>(cgroup_fd);
    pid_t pid = static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
    *into_cgroup = pid >= 0;
    if (pid >= 0) return pid;
    args.flags &= ~static_cast<uint64_t>(CLONE_INTO_CGROUP);
  }
  *into_cgroup = false;
  return static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
}

// On a pure cgroup v2 host the exec'd process is born in the container's cgroup (or its
// --cgroup sub-cgroup): a dirfd of it for CLONE_INTO_CGROUP. Empty on v1/hybrid (several
// hierarchies to join) or when the dir cannot be opened (the old path reports the error).
UniqueFd v2_cgroup_fd(const CgroupManager& manager, const std::string& state,
                      const std::string& sub_request) {
  struct statfs fs {};
  if (::statfs("/sys/fs/cgroup", &fs) != 0 || fs.f_type != CGROUP2_SUPER_MAGIC) return {};
  auto json = manager.paths(state);
  if (!json) return {};
  rapidjson::Document doc;
  doc.Parse(json->c_str());
  if (doc.HasParseError() || !doc.IsObject()) return {};
  std::string dir;
  for (const auto& m : doc.GetObject()) {
    if (!m.value.IsString()) return {};
    if (!dir.empty() && dir != m.value.GetString()) return {};
    dir = m.value.GetString();
  }
  if (dir.empty()) return {};
  if (!sub_request.empty()) {
    // "<controller>:<sub>": on v2 one dir holds every controller; an unknown one is left to
    // enter_sub_cgroup, which names it in its error.
    auto colon = sub_request.find(':');
    if (colon != std::string::npos && !doc.HasMember(sub_request.substr(0, colon).c_str()))
      return {};
    std::string sub = sub_request.substr(colon == std::string::npos ? 0 : colon + 1);
    if (sub.find("..") != std::string::npos) return {};
    dir += "/" + sub;
  }
  return UniqueFd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
}

Result<void> write_text(const std::string& path, const std::string& text) {
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd) return sys_error("opening " + path);
  if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
    return sys_error("writing " + path);
  return {};
}

// --cgroup [<controller>:]<sub>: the child moves on into a sub-cgroup of the container's.
Result<void> enter_sub_cgroup(const CgroupManager& manager, const std::string& state,
                              const std::string& request, pid_t pid) {
  auto json = manager.paths(state);
  if (!json) return std::unexpected(json.error());
  rapidjson::Document doc;
  doc.Parse(json->c_str());
  if (doc.HasParseError() || !doc.IsObject()) return fail("cgroup manager paths: not an object");
  std::string controller, sub = request;
  if (auto colon = request.find(':'); colon != std::string::npos) {
    controller = request.substr(0, colon);
    sub = request.substr(colon + 1);
  }
  if (sub.find("..") != std::string::npos) return fail("invalid --cgroup path: " + request);
  bool found = false;
  for (const auto& m : doc.GetObject()) {
    if (!m.value.IsString()) continue;
    std::string name = m.name.GetString();
    if (!controller.empty() && name != controller) continue;
    found = true;
    std::string procs = std::string(m.value.GetString()) + "/" + sub + "/cgroup.procs";
    if (auto r = write_text(procs, std::to_string(pid)); !r) return std::unexpected(r.error());
  }
  if (!found) return fail("--cgroup: no such controller: " + controller);
  return {};
}

Result<void> set_limits(const spec::Process& p, pid_t pid) {
  if (p.exec_cpu_affinity && !p.exec_cpu_affinity->initial.empty()) {
    if (auto r = process::apply_cpu_affinity(pid, p.exec_cpu_affinity->initial); !r) return r;
  }
  if (p.oom_score_adj) {
    if (auto r = process::apply_oom_score_adj(*p.oom_score_adj, pid); !r) return r;
  }
  return process::apply_rlimits(p.rlimits, pid);
}

// Until the child's execve closes its end of the sync socket: errors, and a seccomp notify
// listener for the agent.
Result<void> wait_for_exec(int sync, const spec::Config& cfg, const ContainerState& st, pid_t pid) {
  for (;;) {
    auto msg = runtime::sync_recv(sync);
    if (!msg) {
      if (msg.error().code == EPIPE) return {};  // CLOEXEC: execve succeeded
      return std::unexpected(msg.error());
    }
    if (msg->type == SyncType::error) return std::unexpected(Error{msg->err, msg->text});
    if (msg->type != SyncType::listener || !msg->fd) return fail("unexpected sync message");
    const auto& sc = *cfg.linux->seccomp;
    seccomp::ListenerState ls;
    ls.oci_version = st.oci_version;
    ls.id = st.id;
    ls.status = "running";
    ls.pid = st.init_pid;
    ls.bundle = st.bundle;
    ls.annotations = st.annotations;
    std::string text = seccomp::listener_message(ls, pid, sc.listener_metadata);
    if (auto r = seccomp::send_listener_fd(sc.listener_path, msg->fd.get(), text); !r) return r;
    if (auto r = runtime::sync_send(sync, SyncType::listener_done); !r) return r;
  }
}

Result<void> check_status(const StateStore& store, const ContainerState& st, bool ignore_paused) {
  Status s = derive_status(st, store.dir_of(st.id));
  if (s == Status::stopped) return fail("cannot exec in a stopped container");
  if (s == Status::paused && !ignore_paused)
    return fail("cannot exec in a paused container (use --ignore-paused to override)");
  return {};
}

// runc's setupIO rules for a terminal and the console socket.
Result<void> check_io(const ExecOptions& o, const spec::Process& p) {
  if (p.terminal && o.detach && o.console_socket.empty())
    return fail("cannot allocate tty if runc will detach without setting console socket");
  if (!p.terminal && !o.console_socket.empty())
    return fail("cannot use console socket if runc will not detach or allocate tty");
  return {};
}

struct Started {
  pid_t pid = 0;
  UniqueFd pidfd;
  UniqueFd pty_master;  // foreground relay
};

// `child_mask`: the signal mask the child restores (the foreground blocks every signal for its
// signalfd before the clone); null to keep ours.
Result<Started> start_process(const GlobalOptions& g, const ExecOptions& o,
                              const ContainerState& st, const spec::Config& config,
                              const spec::Process& process, const sigset_t* child_mask) {
  StateStore store(g.root);
  std::string root = "/proc/" + std::to_string(st.init_pid) + "/root";
  if (auto r = process::resolve_executable(root, process); !r) return std::unexpected(r.error());

  PluginHost host(load_plugin_config().value_or(PluginConfig{}));
  auto seccomp = runtime::compile_seccomp(host, config, g.root);
  if (!seccomp) return std::unexpected(seccomp.error());
  spec::Config labelled = config;
  labelled.process = process;
  auto labels = runtime::plan_labels(host, labelled);
  if (!labels) return std::unexpected(labels.error());
  std::optional<CgroupManager> manager;
  if (!st.cgroup_manager.empty()) {
    auto m = host.cgroup_manager_named(st.cgroup_manager);
    if (!m) return std::unexpected(m.error());
    manager = std::move(*m);
  }

  // The init must still be the recorded process while we open its namespaces.
  auto init_pidfd = runtime::open_pidfd_checked(st.init_pid, st.init_start_time);
  if (!init_pidfd) return fail("cannot exec in a stopped container");
  auto ns = open_namespaces(st.init_pid);
  if (!ns) return std::unexpected(ns.error());
  auto start_time = runtime::process_start_time(st.init_pid);
  if (!start_time || *start_time != st.init_start_time)
    return fail("cannot exec in a stopped container");

  UniqueFd console, console_ours;
  if (process.terminal && !o.console_socket.empty()) {
    auto sock = runtime::connect_console_socket(o.console_socket);
    if (!sock) return std::unexpected(sock.error());
    console = std::move(*sock);
  } else if (process.terminal) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
      return sys_error("creating console socketpair");
    console_ours.reset(sv[0]);
    console.reset(sv[1]);
  }
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
    return sys_error("creating sync socketpair");
  UniqueFd parent_end(sv[0]), child_end(sv[1]);

  ChildContext ctx;
  ctx.process = &process;
  if (config.linux) ctx.personality = config.linux->personality;
  ctx.joins = std::move(ns->joins);
  ctx.seccomp = std::move(*seccomp);
  ctx.labels = std::move(*labels);
  ctx.sync_fd = child_end.get();
  ctx.console_socket_fd = console ? console.get() : -1;
  ctx.preserve_fds = o.preserve_fds;
  ctx.close_at_start = {parent_end.get(), init_pidfd->get()};
  if (child_mask) ctx.signal_mask = *child_mask;
  if (console_ours) ctx.close_at_start.push_back(console_ours.get());

  UniqueFd cgroup_fd = manager ? v2_cgroup_fd(*manager, st.cgroup_state, o.cgroup) : UniqueFd{};
  auto switcher = runtime::ChildNamespaceSwitch::enter(ns->parent_side);
  if (!switcher) return std::unexpected(switcher.error());
  ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);  // CVE-2019-5736, as for the init
  int pidfd = -1;
  bool into_cgroup = false;
  pid_t pid = clone_child(&pidfd, cgroup_fd.get(), &into_cgroup);
  if (pid == 0) child_main(ctx);
  int clone_err = errno;
  ::prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
  if (auto r = switcher->restore(); !r) log::warning(r.error().message);
  if (pid < 0) return sys_error("cloning the exec process", clone_err);
  ChildGuard guard{pid, pidfd};
  Started out;
  out.pid = pid;
  out.pidfd.reset(pidfd);
  child_end.reset();
  console.reset();

  if (auto r = set_limits(process, pid); !r) return std::unexpected(r.error());
  if (manager && !into_cgroup) {
    if (auto r = manager->apply(st.cgroup_state, pid); !r) return std::unexpected(r.error());
    if (!o.cgroup.empty()) {
      if (auto r = enter_sub_cgroup(*manager, st.cgroup_state, o.cgroup, pid); !r)
        return std::unexpected(r.error());
    }
  }
  if (auto r = runtime::sync_send(parent_end.get(), SyncType::go); !r)
    return std::unexpected(r.error());
  if (console_ours) {
    // The child sends the master before finalize; a failure before that closes the socket.
    auto master = runtime::receive_pty_master(console_ours.get());
    if (master) out.pty_master = std::move(*master);
  }
  if (auto r = wait_for_exec(parent_end.get(), config, st, pid); !r)
    return std::unexpected(r.error());
  guard.armed = false;
  return out;
}

}  // namespace
}  // namespace exec_detail

Result<int> exec_container(const GlobalOptions& g, const ExecOptions& o) {
  using namespace exec_detail;
  if (auto r = validate_container_id(o.id); !r) return std::unexpected(r.error());
  StateStore store(g.root);
  auto st = store.read(o.id);
  if (!st) return std::unexpected(st.error());
  if (auto r = check_status(store, *st, o.ignore_paused); !r) return std::unexpected(r.error());
  auto config = spec::parse_config(st->config_json);
  if (!config) return std::unexpected(config.error().context("reading the container's config"));
  auto process = build_process(o, *config);
  if (!process) return std::unexpected(process.error());
  if (auto r = check_io(o, *process); !r) return std::unexpected(r.error());
  // A pty we relay starts at our terminal's size, so the process never sees another one
  // (runc resizes once the process runs, racing e.g. a shell's first `stty size`).
  if (process->terminal && o.console_socket.empty() && !o.detach) {
    if (auto ws = runtime::stdin_window_size())
      process->console_size = spec::ConsoleSize{ws->ws_row, ws->ws_col};
  }

  if (!o.detach && !o.no_subreaper) ::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
  std::optional<runtime::Foreground> fg;
  if (!o.detach) fg.emplace();
  auto started = start_process(g, o, *st, *config, *process, fg ? &fg->mask_before() : nullptr);
  if (!started)
    return std::unexpected(
        started.error().context("exec failed: unable to start container process"));
  if (!o.pid_file.empty()) {
    if (auto r = runtime::write_pid_file(o.pid_file, started->pid); !r)
      return std::unexpected(r.error());
  }
  if (!o.pidfd_socket.empty()) {
    if (auto r = runtime::send_fd_to_socket(o.pidfd_socket, started->pidfd.get(), "pidfd"); !r)
      return std::unexpected(r.error().context("sending the exec process's pidfd"));
  }
  if (o.detach) return 0;

  std::optional<runtime::RawTerminal> raw;
  if (started->pty_master) raw.emplace();
  fg->run(started->pidfd.get(), started->pty_master ? started->pty_master.get() : -1);
  raw.reset();
  int code = runtime::wait_exit_code(started->pid);
  runtime::reap_orphans();
  return code;
}

}  // namespace keel
