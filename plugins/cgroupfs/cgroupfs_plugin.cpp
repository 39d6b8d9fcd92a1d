// The cgroupfs cgroup manager: writes cgroup files directly (runc's "fs" driver), v1, hybrid
// and v2. All the work is in keel_cgroup; this file adapts it to the plugin ABI.
#include <rapidjson/document.h>
#include <unistd.h>

#include <map>
#include <string>

#include "keel/cgroup/control.hpp"
#include "keel/cgroup/fs.hpp"
#include "keel/cgroup/layout.hpp"
#include "keel/cgroup/manager.hpp"
#include "keel/cgroup/resources.hpp"
#include "keel/cgroup/stats.hpp"
#include "keel/cgroup/writers.hpp"
#include "keel/sdk/plugin.hpp"

namespace {

using namespace keel;
using namespace keel::cgroup;

class CgroupfsManager final : public sdk::CgroupManagerPlugin {
 public:
  // options: {"root": "/sys/fs/cgroup"} (the cgroup root; tests and nested setups change it).
  Result<void> init(const sdk::Host&, std::string_view options) override {
    if (options.empty()) return {};
    rapidjson::Document doc;
    doc.Parse(options.data(), options.size());
    if (doc.HasParseError() || !doc.IsObject()) return fail("cgroupfs options: not a JSON object");
    if (auto it = doc.FindMember("root"); it != doc.MemberEnd() && it->value.IsString())
      root_ = it->value.GetString();
    return {};
  }

  Result<Created> create(std::string_view request) override {
    auto req = parse_create_request(request);
    if (!req) return std::unexpected(req.error());
    auto layout = detect_layout(root_);
    if (!layout) return std::unexpected(layout.error());
    // Our own cgroups matter only to a relative cgroupsPath (an empty one means "/<id>").
    std::map<std::string, std::string> own;
    if (!req->cgroups_path.empty() && req->cgroups_path.front() != '/') {
      auto text = read_file("/proc/self/cgroup");
      if (!text) return std::unexpected(text.error());
      own = parse_proc_cgroup(*text);
    }
    auto made = cgroup::create(*layout, *req, own);
    if (!made) return std::unexpected(made.error().context("creating cgroup for " + req->id));
    return Created{encode_state(made->state), made->clone_into.release()};
  }

  Result<void> apply(std::string_view state, pid_t pid) override {
    return with(state, [&](const State& s) { return cgroup::apply(s.set, pid); });
  }

  Result<void> set(std::string_view state, std::string_view resources) override {
    auto r = parse_resources(resources);
    if (!r) return std::unexpected(r.error());
    return with(state, [&](const State& s) { return set_resources(s.set, *r); });
  }

  Result<void> freeze(std::string_view state, bool frozen) override {
    return with(state, [&](const State& s) { return cgroup::freeze(s.set, frozen); });
  }

  Result<std::string> freezer_state(std::string_view state) override {
    return with(state, [&](const State& s) { return cgroup::freezer_state(s.set); });
  }

  Result<std::string> stats(std::string_view state) override {
    return with(state, [&](const State& s) { return stats_json(s.set); });
  }

  Result<std::string> pids(std::string_view state) override {
    return with(state, [&](const State& s) -> Result<std::string> {
      auto pids = all_pids(s.set);
      if (!pids) return std::unexpected(pids.error());
      std::string out = "[";
      for (size_t i = 0; i < pids->size(); ++i) out += (i ? "," : "") + std::to_string((*pids)[i]);
      return out + "]";
    });
  }

  Result<void> kill_all(std::string_view state, int signal) override {
    return with(state, [&](const State& s) { return cgroup::kill_all(s.set, signal); });
  }

  Result<void> destroy(std::string_view state) override {
    return with(state, [&](const State& s) -> Result<void> {
      if (auto r = cgroup::destroy(s.set); !r) return r;
      // Parents made by create() go too when nothing else uses them; busy ones stay.
      for (auto it = s.created.rbegin(); it != s.created.rend(); ++it) (void)::rmdir(it->c_str());
      return {};
    });
  }

  Result<std::string> features() override {
    return std::string(R"({"v1":true,"v2":true,"systemd":false,"systemdUser":false,"rdma":true})");
  }

  Result<std::string> paths(std::string_view state) override {
    return with(state, [&](const State& s) -> Result<std::string> { return paths_json(s.set); });
  }

 private:
  template <class F>
  auto with(std::string_view state, F&& f) -> decltype(f(std::declval<const State&>())) {
    auto s = decode_state(state);
    if (!s) return std::unexpected(s.error());
    return f(*s);
  }

  std::string root_ = "/sys/fs/cgroup";
};

}  // namespace

KEEL_PLUGIN(KEEL_PLUGIN_CGROUP_MANAGER, CgroupfsManager, "cgroupfs", "0.1.0")
