// update: merge a resources patch into the container's resources, write them through its cgroup
// manager, and keep them in the stored config so later updates and events build on them.
#include <sys/stat.h>

#include "json_util.hpp"
#include "keel/manage.hpp"
#include "managed.hpp"

namespace keel::manage {
namespace {

bool resctrl_has(const char* info_dir) {
  struct stat sb;
  return ::stat((std::string("/sys/fs/resctrl/info/") + info_dir).c_str(), &sb) == 0;
}

// runc's intelrdt.IsCATEnabled / IsMBAEnabled checks, with its wording.
Result<void> check_intel_rdt(const UpdateRequest& req) {
  if (!req.l3_cache_schema.empty() && !resctrl_has("L3"))
    return fail("Intel RDT/CAT: l3 cache schema is not enabled", EOPNOTSUPP);
  if (!req.mem_bw_schema.empty() && !resctrl_has("MB"))
    return fail("Intel RDT/MBA: memory bandwidth schema is not enabled", EOPNOTSUPP);
  if (!req.l3_cache_schema.empty() || !req.mem_bw_schema.empty())
    return fail("Intel RDT: updating schemata is not supported by keel yet", EOPNOTSUPP);
  return {};
}

// runc's update never changes device rules (SkipDevices): the merged set goes out without them.
Result<std::string> without_devices(const std::string& resources) {
  rapidjson::Document doc;
  if (auto r = detail::parse_json(doc, resources, "resources"); !r)
    return std::unexpected(r.error());
  if (doc.IsObject()) doc.RemoveMember("devices");
  return detail::to_text(doc);
}

}  // namespace

Result<void> update_container(const GlobalOptions& g, const std::string& id,
                              const UpdateRequest& req) {
  StateStore store(g.root);
  auto lock = store.lock(id);
  if (!lock) return std::unexpected(lock.error());
  auto c = detail::open_container(store, id);
  if (!c) return std::unexpected(c.error());
  if (auto r = check_intel_rdt(req); !r) return r;
  if (c->status == Status::stopped) return fail("container not running", ESRCH);
  auto manager = detail::recorded_manager(c->state);
  if (!manager) return std::unexpected(manager.error());

  auto current = config_resources(c->state.config_json);
  if (!current) return std::unexpected(current.error());
  auto merged = merge_json(*current, req.patch_json);
  if (!merged) return std::unexpected(merged.error());
  auto to_write = without_devices(*merged);
  if (!to_write) return std::unexpected(to_write.error());
  if (auto r = manager->set(c->state.cgroup_state, *to_write); !r) return r;

  auto config = config_with_resources(c->state.config_json, *merged);
  if (!config) return std::unexpected(config.error());
  c->state.config_json = std::move(*config);
  return store.write(c->state);
}

}  // namespace keel::manage
