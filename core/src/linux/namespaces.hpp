// Which namespaces a container gets: new ones become clone flags, joined ones (by path) are opened
// in the runtime before the clone and entered in the right order (pid/time by the parent, the
// rest by the child with the user namespace first and the mount namespace last).
#pragma once

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
  bool new_time = false;               // created by the parent (offsets) before the clone
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

// In the child: setns() into every joined namespace, user first, mount last.
Result<void> enter_joined_namespaces(NamespacePlan& plan);

// Parent side of pid/time: switches this process's *_for_children namespaces before the clone
// and restores them afterwards (the runtime itself never changes pid or time namespace).
class ChildNamespaceSwitch {
 public:
  ChildNamespaceSwitch() = default;
  ChildNamespaceSwitch(ChildNamespaceSwitch&&) = default;
  ChildNamespaceSwitch& operator=(ChildNamespaceSwitch&&) = default;
  ~ChildNamespaceSwitch();
  // Joins the plan's pid/time namespaces and creates the time namespace with its offsets.
  static Result<ChildNamespaceSwitch> enter(const NamespacePlan& plan, const spec::Config& config);
  Result<void> restore();

 private:
  UniqueFd saved_pid_, saved_time_;
};

}  // namespace keel::runtime
