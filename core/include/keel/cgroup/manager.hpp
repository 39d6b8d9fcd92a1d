// The cgroupfs manager: create/apply/destroy on top of layout, paths and writers, with the
// state JSON that lets later commands reopen the same cgroup.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "keel/cgroup/layout.hpp"
#include "keel/cgroup/paths.hpp"
#include "keel/error.hpp"
#include "keel/fd.hpp"

namespace keel::cgroup {

struct CreateRequest {
  std::string id;
  std::string cgroups_path;
  std::string resources_json;  // "" when null
  bool rootless = false;
};
Result<CreateRequest> parse_create_request(std::string_view json);

struct State {
  CgroupSet set;
  std::vector<std::string> created;  // dirs made by create(), outermost first
};
std::string encode_state(const State& s);
Result<State> decode_state(std::string_view json);
// {"memory":"/sys/fs/cgroup/memory/x",...,"unified":"..."}
std::string paths_json(const CgroupSet& set);

struct Created {
  State state;
  UniqueFd clone_into;  // v2 only: O_PATH|O_DIRECTORY of the cgroup
};
// Makes the dirs, prepares cpuset and v2 subtree_control, writes resources; undoes everything
// it made on failure. `own` is our /proc/self/cgroup, parsed.
Result<Created> create(const Layout& layout, const CreateRequest& req,
                       const std::map<std::string, std::string>& own);
Result<void> apply(const CgroupSet& set, pid_t pid);

}  // namespace keel::cgroup
