// Spec mount options -> MS_* flags, propagation, recursive attributes and filesystem data,
// with runc's table (libcontainer/specconv): what is not a known option is filesystem data.
#include <sys/mount.h>

#include <string_view>
#include <unordered_map>

#include "keel/linux/rootfs.hpp"

namespace keel::rootfs {
namespace {

struct Flag {
  bool clear;
  unsigned long flag;
};

const std::unordered_map<std::string_view, Flag>& mount_flags() {
  static const std::unordered_map<std::string_view, Flag> table{
      {"async", {true, MS_SYNCHRONOUS}},
      {"atime", {true, MS_NOATIME}},
      {"dev", {true, MS_NODEV}},
      {"diratime", {true, MS_NODIRATIME}},
      {"dirsync", {false, MS_DIRSYNC}},
      {"exec", {true, MS_NOEXEC}},
      {"iversion", {false, MS_I_VERSION}},
      {"lazytime", {false, MS_LAZYTIME}},
      {"loud", {true, MS_SILENT}},
      {"mand", {false, MS_MANDLOCK}},
      {"noatime", {false, MS_NOATIME}},
      {"nodev", {false, MS_NODEV}},
      {"nodiratime", {false, MS_NODIRATIME}},
      {"noexec", {false, MS_NOEXEC}},
      {"noiversion", {true, MS_I_VERSION}},
      {"nolazytime", {true, MS_LAZYTIME}},
      {"nomand", {true, MS_MANDLOCK}},
      {"norelatime", {true, MS_RELATIME}},
      {"nostrictatime", {true, MS_STRICTATIME}},
      {"nosuid", {false, MS_NOSUID}},
      {"nosymfollow", {false, MS_NOSYMFOLLOW}},
      {"relatime", {false, MS_RELATIME}},
      {"remount", {false, MS_REMOUNT}},
      {"ro", {false, MS_RDONLY}},
      {"rw", {true, MS_RDONLY}},
      {"silent", {false, MS_SILENT}},
      {"strictatime", {false, MS_STRICTATIME}},
      {"suid", {true, MS_NOSUID}},
      {"sync", {false, MS_SYNCHRONOUS}},
      {"symfollow", {true, MS_NOSYMFOLLOW}},
  };
  return table;
}

const std::unordered_map<std::string_view, unsigned long>& propagation_flags() {
  static const std::unordered_map<std::string_view, unsigned long> table{
      {"rprivate", MS_PRIVATE | MS_REC},       {"private", MS_PRIVATE},
      {"rslave", MS_SLAVE | MS_REC},           {"slave", MS_SLAVE},
      {"rshared", MS_SHARED | MS_REC},         {"shared", MS_SHARED},
      {"runbindable", MS_UNBINDABLE | MS_REC}, {"unbindable", MS_UNBINDABLE},
  };
  return table;
}

struct Attr {
  bool clear;
  uint64_t attr;
};

const std::unordered_map<std::string_view, Attr>& recursive_attrs() {
  static const std::unordered_map<std::string_view, Attr> table{
      {"rro", {false, MOUNT_ATTR_RDONLY}},
      {"rrw", {true, MOUNT_ATTR_RDONLY}},
      {"rnosuid", {false, MOUNT_ATTR_NOSUID}},
      {"rsuid", {true, MOUNT_ATTR_NOSUID}},
      {"rnodev", {false, MOUNT_ATTR_NODEV}},
      {"rdev", {true, MOUNT_ATTR_NODEV}},
      {"rnoexec", {false, MOUNT_ATTR_NOEXEC}},
      {"rexec", {true, MOUNT_ATTR_NOEXEC}},
      {"rnodiratime", {false, MOUNT_ATTR_NODIRATIME}},
      {"rdiratime", {true, MOUNT_ATTR_NODIRATIME}},
      {"rrelatime", {false, MOUNT_ATTR_RELATIME}},
      {"rnorelatime", {true, MOUNT_ATTR_RELATIME}},
      {"rnoatime", {false, MOUNT_ATTR_NOATIME}},
      {"ratime", {true, MOUNT_ATTR_NOATIME}},
      {"rstrictatime", {false, MOUNT_ATTR_STRICTATIME}},
      {"rnostrictatime", {true, MOUNT_ATTR_STRICTATIME}},
      {"rnosymfollow", {false, MOUNT_ATTR_NOSYMFOLLOW}},
      {"rsymfollow", {true, MOUNT_ATTR_NOSYMFOLLOW}},
  };
  return table;
}

void apply_recursive_attr(MountOptions& m, Attr a) {
  constexpr uint64_t kAtimeModes = MOUNT_ATTR_NOATIME | MOUNT_ATTR_STRICTATIME;
  bool is_atime = a.attr == MOUNT_ATTR_RELATIME || (a.attr & kAtimeModes) == a.attr;
  if (a.clear) {
    // Clearing an atime mode means resetting the whole field (to relatime).
    m.attr_clr |= is_atime ? MOUNT_ATTR__ATIME : a.attr;
    m.attr_set &= ~a.attr;
    return;
  }
  if (is_atime) {
    // mount_setattr(2): an atime mode in attr_set needs MOUNT_ATTR__ATIME in attr_clr.
    m.attr_set &= ~MOUNT_ATTR__ATIME;
    m.attr_clr |= MOUNT_ATTR__ATIME;
  } else {
    m.attr_clr &= ~a.attr;
  }
  m.attr_set |= a.attr;
}

}  // namespace

MountOptions parse_mount_options(const std::vector<std::string>& options) {
  MountOptions m;
  for (const auto& o : options) {
    if (o == "bind" || o == "rbind") {
      m.bind = true;
      m.recursive_bind = m.recursive_bind || o == "rbind";
    } else if (o == "defaults") {
      // fstab's "defaults" means nothing beyond the kernel defaults.
    } else if (auto f = mount_flags().find(o); f != mount_flags().end()) {
      if (f->second.clear) {
        m.flags &= ~f->second.flag;
        m.clear |= f->second.flag;
      } else {
        m.flags |= f->second.flag;
        m.clear &= ~f->second.flag;
      }
    } else if (auto p = propagation_flags().find(o); p != propagation_flags().end()) {
      m.propagation = p->second;
    } else if (auto r = recursive_attrs().find(o); r != recursive_attrs().end()) {
      apply_recursive_attr(m, r->second);
    } else if (o == "tmpcopyup") {
      m.copy_up = true;
    } else if (o == "idmap" || o == "ridmap") {
      m.idmap = true;
    } else {
      if (!m.data.empty()) m.data += ',';
      m.data += o;
    }
  }
  return m;
}

}  // namespace keel::rootfs
