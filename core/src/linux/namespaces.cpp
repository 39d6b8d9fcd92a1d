#include "namespaces.hpp"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>
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
  std::ranges::stable_sort(plan.joins, {}, [](const auto& j) { return join_rank(j.flag); });
  if (!plan.joins.empty() && plan.joins.front().flag == CLONE_NEWUSER) {
    // A new pid namespace still comes from the clone (unshare would only affect children).
    plan.unshare_flags = plan.clone_flags & ~static_cast<unsigned long>(CLONE_NEWPID);
    plan.clone_flags &= CLONE_NEWPID;
  }
  return plan;
}

Result<void> enter_joined_namespaces(NamespacePlan& plan) {
  unsigned long pending = plan.unshare_flags;
  for (auto& j : plan.joins) {
    if (j.flag != CLONE_NEWUSER && pending) {
      if (::unshare(static_cast<int>(pending)) < 0)
        return sys_error("creating namespaces in the joined user namespace");
      pending = 0;
    }
    if (::setns(j.fd.get(), j.flag) < 0)
      return sys_error("joining " + j.type + " namespace " + j.path);
    j.fd.reset();
  }
  if (pending && ::unshare(static_cast<int>(pending)) < 0)
    return sys_error("creating namespaces in the joined user namespace");
  return {};
}

ChildNamespaceSwitch::~ChildNamespaceSwitch() {
  (void)restore();
}

Result<ChildNamespaceSwitch> ChildNamespaceSwitch::enter(const NamespacePlan& plan,
                                                         const spec::Config& config) {
  ChildNamespaceSwitch sw;
  if (plan.join_pid) {
    sw.saved_pid_.reset(::open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC));
    if (!sw.saved_pid_) return sys_error("opening /proc/self/ns/pid");
    if (::setns(plan.join_pid.get(), CLONE_NEWPID) < 0) return sys_error("joining pid namespace");
  }
  if (plan.join_time || plan.new_time) {
    sw.saved_time_.reset(::open("/proc/self/ns/time", O_RDONLY | O_CLOEXEC));
    if (!sw.saved_time_) return sys_error("opening /proc/self/ns/time");
  }
  if (plan.join_time) {
    if (::setns(plan.join_time.get(), CLONE_NEWTIME) < 0)
      return sys_error("joining time namespace");
  } else if (plan.new_time) {
    // unshare(CLONE_NEWTIME) only changes time_for_children: the offsets can still be written
    // because no process has entered the namespace yet; the init is the first to enter.
    if (::unshare(CLONE_NEWTIME) < 0) return sys_error("creating time namespace");
    if (auto r = write_time_offsets(config); !r) return std::unexpected(r.error());
  }
  return sw;
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
