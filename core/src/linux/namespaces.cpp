#include "namespaces.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME 0x00000080
#endif

namespace keel::runtime {
namespace {

struct NsType {
  std::string_view spec, proc;
  int flag;
};
constexpr NsType kTypes[] = {
    {"user", "user", CLONE_NEWUSER},  {"pid", "pid", CLONE_NEWPID},
    {"network", "net", CLONE_NEWNET}, {"ipc", "ipc", CLONE_NEWIPC},
    {"uts", "uts", CLONE_NEWUTS},     {"cgroup", "cgroup", CLONE_NEWCGROUP},
    {"time", "time", CLONE_NEWTIME},  {"mount", "mnt", CLONE_NEWNS},
};

// Order in which the child joins: user first (it decides what the others may do), mount last
// (after it the host's paths are gone).
int join_rank(int flag) {
  for (size_t i = 0; i < std::size(kTypes); ++i)
    if (kTypes[i].flag == flag) return static_cast<int>(i);
  return 99;
}

Result<UniqueFd> open_namespace(const spec::Namespace& ns, int flag) {
  UniqueFd fd(::open(ns.path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("opening namespace path " + ns.path);
  // NS_GET_NSTYPE tells what the file really is, so a regular file or a namespace of another
  // type is refused here instead of by a confusing setns() error later.
  int got = ::ioctl(fd.get(), NS_GET_NSTYPE);
  if (got < 0) return sys_error(ns.path + " is not a namespace");
  if (got != flag) return fail(ns.path + " is not a " + ns.type + " namespace");
  return fd;
}

Result<void> write_time_offsets(const spec::Config& config) {
  std::string text;
  for (const auto& [clock, off] : config.linux->time_offsets) {
    text += clock + " " + std::to_string(off.secs) + " " + std::to_string(off.nanosecs) + "\n";
  }
  if (text.empty()) return {};
  UniqueFd fd(::open("/proc/self/timens_offsets", O_WRONLY | O_CLOEXEC));
  if (!fd) return sys_error("opening /proc/self/timens_offsets");
  // The kernel accepts one "clock secs nsecs" line per write.
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start) + 1;
    if (::write(fd.get(), text.data() + start, end - start) < 0)
      return sys_error("writing time offsets");
    start = end;
  }
  return {};
}

// In the init, with its user namespace final: unshare(CLONE_NEWTIME) only switches
// time_for_children, so the offsets can still be written (nobody is inside yet); then the init
// enters the namespace itself. Owned by the init's user namespace, as the spec wants.
Result<void> create_time_namespace(const spec::Config& config) {
  if (::unshare(CLONE_NEWTIME) < 0) return sys_error("creating time namespace");
  if (auto r = write_time_offsets(config); !r) return r;
  UniqueFd fd(::open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("opening /proc/self/ns/time_for_children");
  if (::setns(fd.get(), CLONE_NEWTIME) < 0) return sys_error("entering the new time namespace");
  return {};
}

}  // namespace

int namespace_flag(std::string_view type) {
  for (const auto& t : kTypes)
    if (t.spec == type) return t.flag;
  return 0;
}

std::string_view namespace_proc_name(std::string_view type) {
  for (const auto& t : kTypes)
    if (t.spec == type) return t.proc;
  return type;
}

bool NamespacePlan::has(int flag) const {
  if ((clone_flags | unshare_flags) & flag) return true;
  if (flag == CLONE_NEWUSER && new_user) return true;
  if (flag == CLONE_NEWTIME && (new_time || join_time)) return true;
  if (flag == CLONE_NEWPID && join_pid) return true;
  return std::ranges::any_of(joins, [&](const auto& j) { return j.flag == flag; });
}

Result<NamespacePlan> plan_namespaces(const spec::Config& config) {
  NamespacePlan plan;
  if (!config.linux) return plan;
  for (const auto& ns : config.linux->namespaces) {
    int flag = namespace_flag(ns.type);
    if (flag == 0) return fail("unknown namespace type " + ns.type);
    if (ns.path.empty()) {
      if (flag == CLONE_NEWTIME) {
        plan.new_time = true;
      } else {
        plan.clone_flags |= flag;
        if (flag == CLONE_NEWUSER) plan.new_user = true;
      }
      continue;
    }
    auto fd = open_namespace(ns, flag);
    if (!fd) return std::unexpected(fd.error());
    if (flag == CLONE_NEWPID) {
      plan.join_pid = std::move(*fd);
    } else if (flag == CLONE_NEWTIME) {
      plan.join_time = std::move(*fd);
    } else {
      plan.joins.push_back({flag, ns.type, ns.path, std::move(*fd)});
    }
  }
  // The init unshares its cgroup namespace itself, after "go": by then the runtime has moved it
  // into its cgroups (v1 has no CLONE_INTO_CGROUP), so the namespace is rooted at the container's
  // cgroup, as runc does it; created by the clone it would be rooted at the runtime's cgroup.
  if (plan.clone_flags & CLONE_NEWCGROUP) {
    plan.clone_flags &= ~static_cast<unsigned long>(CLONE_NEWCGROUP);
    plan.unshare_flags |= CLONE_NEWCGROUP;
  }
  std::ranges::stable_sort(plan.joins, {}, [](const auto& j) { return join_rank(j.flag); });
  if (!plan.joins.empty() && plan.joins.front().flag == CLONE_NEWUSER) {
    // unshare() of a pid namespace would only move the init's children: the pid namespace is
    // made by a helper inside the joined user namespace (clone_in_joined_user_namespace).
    plan.pid_in_joined_user = plan.clone_flags & CLONE_NEWPID;
    plan.unshare_flags |= plan.clone_flags & ~static_cast<unsigned long>(CLONE_NEWPID);
    plan.clone_flags = 0;
  }
  return plan;
}

Result<void> enter_joined_namespaces(NamespacePlan& plan, const spec::Config& config) {
  // Called once the user namespace is final and before any other join, so it owns what is made.
  bool made = false;
  auto make_owned_namespaces = [&]() -> Result<void> {
    if (made) return {};
    made = true;
    if (plan.unshare_flags && ::unshare(static_cast<int>(plan.unshare_flags)) < 0)
      return sys_error("creating namespaces in the joined user namespace");
    return plan.new_time ? create_time_namespace(config) : Result<void>{};
  };
  for (auto& j : plan.joins) {
    if (j.flag == CLONE_NEWUSER && plan.user_entered) continue;
    if (j.flag != CLONE_NEWUSER) {
      if (auto r = make_owned_namespaces(); !r) return r;
    }
    if (::setns(j.fd.get(), j.flag) < 0)
      return sys_error("joining " + j.type + " namespace " + j.path);
    j.fd.reset();
  }
  return make_owned_namespaces();
}

ChildNamespaceSwitch::~ChildNamespaceSwitch() {
  (void)restore();
}

Result<ChildNamespaceSwitch> ChildNamespaceSwitch::enter(const NamespacePlan& plan) {
  ChildNamespaceSwitch sw;
  if (plan.join_pid) {
    sw.saved_pid_.reset(::open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC));
    if (!sw.saved_pid_) return sys_error("opening /proc/self/ns/pid");
    if (::setns(plan.join_pid.get(), CLONE_NEWPID) < 0) return sys_error("joining pid namespace");
  }
  if (plan.join_time) {
    sw.saved_time_.reset(::open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC));
    if (!sw.saved_time_) return sys_error("opening /proc/self/ns/time");
    if (::setns(plan.join_time.get(), CLONE_NEWTIME) < 0)
      return sys_error("joining time namespace");
  }
  return sw;
}

pid_t clone_in_joined_user_namespace(NamespacePlan& plan, int cgroup_fd, int* pidfd) {
  int pipes[2];
  if (::pipe2(pipes, O_CLOEXEC) < 0) return -1;
  UniqueFd from_helper(pipes[0]), to_parent(pipes[1]);
  pid_t helper = ::fork();
  if (helper < 0) return -1;
  if (helper == 0) {
    from_helper.reset();
    int reply[2] = {-1, 0};  // {init pid, errno}
    if (::setns(plan.joins.front().fd.get(), CLONE_NEWUSER) < 0 || ::unshare(CLONE_NEWPID) < 0) {
      reply[1] = errno;
    } else {
      plan.user_entered = true;  // what the init inherits: no second setns(user) there
      clone_args args{};
      args.flags = CLONE_PARENT;  // the init's parent is the runtime (exit_signal must be 0)
      if (cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<uint64_t>(cgroup_fd);
      }
      pid_t pid = static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
      if (pid < 0 && cgroup_fd >= 0) {  // as clone_init: apply() moves it instead
        args.flags &= ~static_cast<uint64_t>(CLONE_INTO_CGROUP);
        pid = static_cast<pid_t>(::syscall(SYS_clone3, &args, sizeof args));
      }
      if (pid == 0) return 0;  // the init
      reply[0] = pid;
      reply[1] = pid < 0 ? errno : 0;
    }
    (void)!::write(to_parent.get(), reply, sizeof reply);
    ::_exit(0);
  }
  to_parent.reset();
  int reply[2] = {-1, EIO};
  (void)!::read(from_helper.get(), reply, sizeof reply);
  ::waitpid(helper, nullptr, 0);
  if (reply[0] <= 0) {
    errno = reply[1] ? reply[1] : EIO;
    return -1;
  }
  // Our unreaped child: its pid cannot be reused before this.
  *pidfd = static_cast<int>(::syscall(SYS_pidfd_open, reply[0], 0));
  if (*pidfd < 0) {
    int err = errno;
    ::kill(reply[0], SIGKILL);
    ::waitpid(reply[0], nullptr, 0);
    errno = err;
    return -1;
  }
  return reply[0];
}

Result<void> ChildNamespaceSwitch::restore() {
  if (saved_pid_) {
    if (::setns(saved_pid_.get(), CLONE_NEWPID) < 0) return sys_error("restoring pid namespace");
    saved_pid_.reset();
  }
  if (saved_time_) {
    if (::setns(saved_time_.get(), CLONE_NEWTIME) < 0) return sys_error("restoring time namespace");
    saved_time_.reset();
  }
  return {};
}

}  // namespace keel::runtime
