// prepare(), pivot() and finish(): the order runc's prepareRootfs/finalizeRootfs use.
#include "keel/linux/rootfs.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "mount_api.hpp"
#include "rootfs_internal.hpp"
#include "rootfs_steps.hpp"

namespace keel::rootfs {
namespace {

Result<void> check_plan(const Plan& plan) {
  if (!plan.config) return fail("rootfs plan without a config");
  if (!plan.rootfs.starts_with('/')) return fail("rootfs path " + plan.rootfs + " is not absolute");
  return {};
}

bool spec_dev_is_readonly(const spec::Config& config) {
  for (const auto& m : config.mounts)
    if (detail::clean_path(m.destination) == "/dev")
      return parse_mount_options(m.options).flags & MS_RDONLY;
  return false;
}

}  // namespace

Result<void> prepare(const Plan& plan) {
  if (auto r = check_plan(plan); !r) return r;
  if (auto r = detail::prepare_root(plan); !r)
    return std::unexpected(r.error().context("preparing rootfs"));
  UniqueFd root(::open(plan.rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys_error("open rootfs " + plan.rootfs);
  auto root_path = detail::fd_target(root.get());
  if (!root_path) return std::unexpected(root_path.error());
  detail::Context c{plan, root.get(), *root_path};
  for (const auto& m : plan.config->mounts) {
    if (auto r = detail::mount_spec(c, m); !r) return r;
  }
  if (detail::needs_dev_setup(*plan.config)) {
    if (auto r = detail::setup_dev(c); !r) return r;
  }
  if (!plan.console_path.empty()) {
    std::string slave = plan.console_path;
    if (slave.starts_with(plan.rootfs + "/")) slave = slave.substr(plan.rootfs.size());
    if (auto r = detail::bind_console(c.root_fd, slave); !r)
      return std::unexpected(r.error().context("setting up /dev/console"));
  }
  return {};
}

Result<void> mount_console(std::string_view slave_path) {
  UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys_error("open /");
  if (auto r = detail::bind_console(root.get(), std::string(slave_path)); !r)
    return std::unexpected(r.error().context("setting up /dev/console"));
  return {};
}

Result<void> pivot(const Plan& plan) {
  if (auto r = check_plan(plan); !r) return r;
  return detail::enter_root(plan, detail::needs_dev_setup(*plan.config));
}

Result<void> finish(const Plan& plan) {
  if (auto r = check_plan(plan); !r) return r;
  UniqueFd root(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return sys_error("open /");
  const auto& linux = plan.config->linux;
  if (linux) {
    for (const auto& p : linux->readonly_paths)
      if (auto r = detail::make_readonly_path(root.get(), p); !r) return r;
    UniqueFd dev_null;
    for (const auto& p : linux->masked_paths)
      if (auto r = detail::mask_path(root.get(), p, plan.mount_label, dev_null); !r) return r;
  }
  if (spec_dev_is_readonly(*plan.config)) {
    auto dev = open_in_root(root.get(), "/dev", false, false);
    if (!dev) return std::unexpected(dev.error().context("remounting \"/dev\" as readonly"));
    if (auto r = detail::set_attr(dev->get(), false, MOUNT_ATTR_RDONLY, 0); !r)
      return std::unexpected(r.error().context("remounting \"/dev\" as readonly"));
  }
  if (plan.config->root && plan.config->root->readonly) {
    if (auto r = detail::set_attr(root.get(), false, MOUNT_ATTR_RDONLY, 0); !r)
      return std::unexpected(r.error().context("setting rootfs as readonly"));
  }
  if (linux && !linux->rootfs_propagation.empty()) {
    auto flags = detail::root_propagation(linux->rootfs_propagation);
    if (!flags) return std::unexpected(flags.error());
    if (::mount(nullptr, "/", nullptr, *flags, nullptr) < 0)
      return sys_error("setting rootfs propagation " + linux->rootfs_propagation);
  }
  ::umask(0022);
  return {};
}

}  // namespace keel::rootfs
