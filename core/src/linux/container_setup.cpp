// TEMPORARY minimal implementations until keel_rootfs / keel_process land: enough mounts and
// credentials for a busybox container. Each body becomes a call into those areas.
#include "container_setup.hpp"

#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "keel/linux/seccomp_install.hpp"
#include "runtime_hooks.hpp"

namespace keel::runtime {
namespace {

struct MountFlags {
  unsigned long flags = 0;
  std::string data;
  bool bind = false;
};

MountFlags parse_options(const std::vector<std::string>& options) {
  static const std::map<std::string, unsigned long, std::less<>> set = {
      {"ro", MS_RDONLY},
      {"nosuid", MS_NOSUID},
      {"nodev", MS_NODEV},
      {"noexec", MS_NOEXEC},
      {"relatime", MS_RELATIME},
      {"strictatime", MS_STRICTATIME},
      {"noatime", MS_NOATIME},
      {"bind", MS_BIND},
      {"rbind", MS_BIND | MS_REC},
      {"sync", MS_SYNCHRONOUS},
      {"nodiratime", MS_NODIRATIME}};
  static const std::map<std::string, bool, std::less<>> ignore = {
      {"rw", true},     {"private", true}, {"rprivate", true}, {"slave", true}, {"rslave", true},
      {"shared", true}, {"rshared", true}, {"exec", true},     {"suid", true},  {"dev", true}};
  MountFlags m;
  for (const auto& o : options) {
    if (auto it = set.find(o); it != set.end()) {
      m.flags |= it->second;
    } else if (!ignore.contains(o)) {
      if (!m.data.empty()) m.data += ',';
      m.data += o;
    }
  }
  m.bind = m.flags & MS_BIND;
  return m;
}

Result<void> mount_one(const std::string& rootfs, const spec::Mount& mnt) {
  std::string target = rootfs + mnt.destination;
  auto m = parse_options(mnt.options);
  std::error_code ec;
  if (m.bind && !std::filesystem::is_directory(mnt.source)) {
    std::filesystem::create_directories(std::filesystem::path(target).parent_path(), ec);
    UniqueFd f(::open(target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
  } else {
    std::filesystem::create_directories(target, ec);
  }
  if (m.bind) {
    if (::mount(mnt.source.c_str(), target.c_str(), nullptr, m.flags, nullptr) < 0)
      return sys_error("mount " + mnt.source + " to " + mnt.destination);
    unsigned long remount = m.flags & ~(MS_BIND | MS_REC);
    if (remount &&
        ::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | remount, nullptr) < 0)
      return sys_error("remount " + mnt.destination);
    return {};
  }
  if (::mount(mnt.source.c_str(), target.c_str(), mnt.type.c_str(), m.flags,
              m.data.empty() ? nullptr : m.data.c_str()) < 0)
    return sys_error("mount " + mnt.source + " to " + mnt.destination);
  return {};
}

}  // namespace

Result<void> prepare_rootfs(InitContext& ctx) {
  if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) < 0)
    return sys_error("making / rslave");
  if (::mount(ctx.rootfs.c_str(), ctx.rootfs.c_str(), nullptr, MS_BIND | MS_REC, nullptr) < 0)
    return sys_error("bind mounting rootfs " + ctx.rootfs);
  for (const auto& mnt : ctx.config->mounts) {
    if (mnt.type == "cgroup") continue;  // TEMPORARY: the rootfs area emulates it
    if (auto r = mount_one(ctx.rootfs, mnt); !r) return r;
  }
  return {};
}

Result<void> enter_rootfs(InitContext& ctx) {
  if (::chdir(ctx.rootfs.c_str()) < 0) return sys_error("chdir " + ctx.rootfs);
  if (::syscall(SYS_pivot_root, ".", ".") < 0) return sys_error("pivot_root");
  if (::umount2(".", MNT_DETACH) < 0) return sys_error("unmounting the old root");
  if (::chdir("/") < 0) return sys_error("chdir /");
  if (ctx.config->root && ctx.config->root->readonly &&
      ::mount(nullptr, "/", nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) < 0)
    return sys_error("remounting / read-only");
  return {};
}

Result<void> apply_process_attributes(InitContext& ctx) {
  const auto& p = *ctx.config->process;
  std::vector<gid_t> groups(p.user.additional_gids.begin(), p.user.additional_gids.end());
  if (::setgroups(groups.size(), groups.data()) < 0) return sys_error("setgroups");
  if (::setresgid(p.user.gid, p.user.gid, p.user.gid) < 0) return sys_error("setgid");
  if (::setresuid(p.user.uid, p.user.uid, p.user.uid) < 0) return sys_error("setuid");
  if (!p.cwd.empty() && ::chdir(p.cwd.c_str()) < 0) return sys_error("chdir to cwd " + p.cwd);
  if (p.no_new_privileges && ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
    return sys_error("prctl(PR_SET_NO_NEW_PRIVS)");
  return {};
}

Result<void> finish_process_before_exec(InitContext& ctx) {
  ::syscall(SYS_close_range, 3 + ctx.preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC);
  if (ctx.seccomp) {
    auto fd =
        seccomp::install_filter(ctx.seccomp->bpf, ctx.seccomp->flags, ctx.seccomp->needs_listener);
    if (!fd) return std::unexpected(fd.error());
  }
  return {};
}

Result<void> run_hooks_in_container(InitContext& ctx, HookStage stage) {
  const auto& hooks = ctx.config->hooks;
  if (!hooks) return {};
  // The state these hooks see carries the init's pid as the container sees it.
  ContainerState st = *ctx.state;
  st.init_pid = ::getpid();
  if (stage == HookStage::create_container)
    return run_runtime_hooks(hooks->create_container, state_json(st, Status::creating, false),
                             "createContainer");
  return run_runtime_hooks(hooks->start_container, state_json(st, Status::created, false),
                           "startContainer");
}

Result<void> exec_container_process(InitContext& ctx) {
  const auto& p = *ctx.config->process;
  std::vector<char*> argv, envp;
  for (const auto& a : p.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (const auto& e : p.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);
  ::execve(ctx.exec_path.c_str(), argv.data(), envp.data());
  return sys_error("exec " + ctx.exec_path);
}

}  // namespace keel::runtime
