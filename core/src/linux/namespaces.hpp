// Which namespaces a container gets: new ones become clone flags, joined ones (by path) are opened
// in the runtime before the clone and entered in the right order (pid/time by the parent, the
// rest by the child with the user namespace first and the mount namespace last).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "keel/error.hpp"
#include "keel/fd.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

struct JoinedNamespace {
  int flag = 0;  // CLONE_NEW*
  std::string type;
  std::string path;
  UniqueFd fd;
};

struct NamespacePlan {
  unsigned long clone_flags = 0;  // CLONE_NEW* created by the clone itself
  // With a user namespace joined by path, new namespaces must be owned by it: they are made
  // by the child with unshare() right after setns(user) instead of by the clone.
  unsigned long unshare_flags = 0;
  bool new_user = false;
  // A new pid namespace with a joined user namespace: see clone_in_joined_user_namespace.
  bool pid_in_joined_user = false;
  bool user_entered = false;  // the init starts inside the joined user namespace already
  // Made by the init once its user namespace is final (so that one owns it), offsets written
  // before the init enters it.
  bool new_time = false;
  std::vector<JoinedNamespace> joins;  // child setns order: user first, mount last
  UniqueFd join_pid;                   // parent enters it for its children before the clone
  UniqueFd join_time;
  bool has(int flag) const;  // created or joined
};

// CLONE_NEW* for a spec namespace type ("network" -> CLONE_NEWNET), 0 when unknown.
int namespace_flag(std::string_view type);
std::string_view namespace_proc_name(std::string_view type);  // "network" -> "net"

// Opens every path namespace (checking it is a namespace of that type) and computes flags.
Result<NamespacePlan> plan_namespaces(const spec::Config& config);

// In the child: setns() into every joined namespace, user first, mount last; the namespaces that
// must belong to a joined user namespace, and a new time namespace, are made right after the
// user namespace is entered.
Result<void> enter_joined_namespaces(NamespacePlan& plan, const spec::Config& config);

// With a user namespace joined by path and a new pid namespace. unshare(CLONE_NEWPID) only
// applies to the caller's later children, and a pid namespace cannot be entered with setns()
// before it has an init; so a helper forked into the joined user namespace unshares the pid
// namespace and clones the init there with CLONE_PARENT. The init is pid 1 of a pid namespace
// owned by the joined user namespace, and still the runtime's child. Returns like a clone: 0 in
// the init, its pid (and *pidfd) in the runtime, -1 with errno on failure.
pid_t clone_in_joined_user_namespace(NamespacePlan& plan, int cgroup_fd, int* pidfd);

// Parent side of pid/time: switches this process's *_for_children namespaces before the clone
// and restores them afterwards (the runtime itself never changes pid or time namespace).
class ChildNamespaceSwitch {
 public:
  ChildNamespaceSwitch() = default;
  ChildNamespaceSwitch(ChildNamespaceSwitch&&) = default;
  ChildNamespaceSwitch& operator=(ChildNamespaceSwitch&&) = default;
  ~ChildNamespaceSwitch();
  // Joins the plan's pid/time namespaces given by path.
  static Result<ChildNamespaceSwitch> enter(const NamespacePlan& plan);
  Result<void> restore();

 private:
  UniqueFd saved_pid_, saved_time_;
};

}  // namespace keel::runtime
