// The user switch: stdio ownership, supplementary groups, gid, uid.
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <string>

#include "keel/fd.hpp"
#include "keel/linux/process.hpp"

namespace keel::process {
namespace {

bool is_dev_null(const struct stat& st) {
  return S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3);
}

// Gives the container user its stdio (a pty or pipes the runtime created as root), as runc's
// fixStdioPermissions does; only the uid changes.
Result<void> fix_stdio_ownership(uid_t uid) {
  static constexpr const char* kNames[] = {"/dev/stdin", "/dev/stdout", "/dev/stderr"};
  for (int fd = 0; fd <= 2; ++fd) {
    struct stat st {};
    if (fstat(fd, &st) != 0) {
      if (errno == EBADF) continue;  // a closed stdio slot has nothing to own
      return sys_error(std::string("fstat ") + kNames[fd]);
    }
    if (st.st_uid == uid || is_dev_null(st)) continue;
    if (fchown(fd, uid, st.st_gid) != 0) {
      // Unmapped owner or gid, or a read-only /dev: leave stdio alone rather than fail.
      if (errno == EINVAL || errno == EPERM || errno == EROFS) continue;
      return sys_error(std::string("fchown ") + kNames[fd]);
    }
  }
  return {};
}

// setgroups(2) is refused inside a user namespace whose setgroups file says "deny".
bool setgroups_allowed() {
  UniqueFd fd(open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC));
  if (!fd) return true;
  char buf[16] = {};
  const ssize_t n = read(fd.get(), buf, sizeof buf - 1);
  return !(n >= 4 && std::string_view(buf, 4) == "deny");
}

}  // namespace

Result<void> switch_user(const spec::User& user) {
  if (auto r = fix_stdio_ownership(user.uid); !r) return r;
  if (setgroups_allowed()) {
    std::vector<gid_t> groups(user.additional_gids.begin(), user.additional_gids.end());
    if (setgroups(groups.size(), groups.data()) != 0) return sys_error("setgroups");
  }
  if (setresgid(user.gid, user.gid, user.gid) != 0) {
    if (errno == EINVAL) {
      return fail("cannot setgid to unmapped gid " + std::to_string(user.gid) +
                  " in user namespace");
    }
    return sys_error("setgid " + std::to_string(user.gid));
  }
  if (setresuid(user.uid, user.uid, user.uid) != 0) {
    if (errno == EINVAL) {
      return fail("cannot setuid to unmapped uid " + std::to_string(user.uid) +
                  " in user namespace");
    }
    return sys_error("setuid " + std::to_string(user.uid));
  }
  return {};
}

}  // namespace keel::process
