#include "labels.hpp"

namespace keel::runtime {
namespace {

// The labeler `name` when installed and active on this host, nullopt otherwise; `required`
// turns "not installed" into an error.
Result<std::optional<Labeler>> active_labeler(const PluginHost& host, const std::string& name,
                                              bool required) {
  auto l = host.labeler(name);
  if (!l) return std::unexpected(l.error());
  if (!*l) {
    if (required)
      return fail(
          "the spec asks for a " + name + " label but no " + name + " labeler plugin is available",
          ENOTSUP);
    return std::nullopt;
  }
  if (!(*l)->enabled()) return std::nullopt;
  return *l;
}

}  // namespace

Result<LabelPlan> plan_labels(const PluginHost& host, const spec::Config& config) {
  LabelPlan plan;
  const auto& p = *config.process;
  if (!p.apparmor_profile.empty()) {
    auto aa = active_labeler(host, "apparmor", false);
    if (!aa) return std::unexpected(aa.error());
    if (*aa) {
      if (auto r = (*aa)->validate(p.apparmor_profile); !r) return std::unexpected(r.error());
      plan.exec.push_back({**aa, p.apparmor_profile});
    }
  }
  std::string mount_label = config.linux ? config.linux->mount_label : "";
  if (!p.selinux_label.empty() || !mount_label.empty()) {
    auto se = active_labeler(host, "selinux", true);
    if (!se) return std::unexpected(se.error());
    if (*se) {
      if (!p.selinux_label.empty()) {
        if (auto r = (*se)->validate(p.selinux_label); !r) return std::unexpected(r.error());
        plan.exec.push_back({**se, p.selinux_label});
      }
      if (!mount_label.empty()) {
        auto opt = (*se)->mount_option(mount_label);
        if (!opt) return std::unexpected(opt.error());
        plan.mount_option = *opt;
      }
    }
  }
  return plan;
}

Result<void> apply_exec_labels(const LabelPlan& plan) {
  for (const auto& e : plan.exec) {
    if (auto r = e.labeler.set_exec_label(e.label); !r)
      return std::unexpected(r.error().context("setting " + e.labeler.name() + " label"));
  }
  return {};
}

}  // namespace keel::runtime
