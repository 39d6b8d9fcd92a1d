#include <doctest/doctest.h>
#include <sys/mount.h>

#include "keel/linux/rootfs.hpp"

using keel::rootfs::parse_mount_options;

namespace {

struct FlagCase {
  const char* option;
  unsigned long flag;
  bool clears;
};

}  // namespace

TEST_CASE("every runc flag option maps to its MS_* flag, set or cleared") {
  const FlagCase cases[] = {
      {"async", MS_SYNCHRONOUS, true},
      {"atime", MS_NOATIME, true},
      {"dev", MS_NODEV, true},
      {"diratime", MS_NODIRATIME, true},
      {"dirsync", MS_DIRSYNC, false},
      {"exec", MS_NOEXEC, true},
      {"iversion", MS_I_VERSION, false},
      {"lazytime", MS_LAZYTIME, false},
      {"loud", MS_SILENT, true},
      {"mand", MS_MANDLOCK, false},
      {"noatime", MS_NOATIME, false},
      {"nodev", MS_NODEV, false},
      {"nodiratime", MS_NODIRATIME, false},
      {"noexec", MS_NOEXEC, false},
      {"noiversion", MS_I_VERSION, true},
      {"nolazytime", MS_LAZYTIME, true},
      {"nomand", MS_MANDLOCK, true},
      {"norelatime", MS_RELATIME, true},
      {"nostrictatime", MS_STRICTATIME, true},
      {"nosuid", MS_NOSUID, false},
      {"nosymfollow", MS_NOSYMFOLLOW, false},
      {"relatime", MS_RELATIME, false},
      {"remount", MS_REMOUNT, false},
      {"ro", MS_RDONLY, false},
      {"rw", MS_RDONLY, true},
      {"silent", MS_SILENT, false},
      {"strictatime", MS_STRICTATIME, false},
      {"suid", MS_NOSUID, true},
      {"sync", MS_SYNCHRONOUS, false},
      {"symfollow", MS_NOSYMFOLLOW, true},
  };
  for (const auto& c : cases) {
    CAPTURE(c.option);
    auto o = parse_mount_options({c.option});
    if (c.clears) {
      CHECK(o.flags == 0);
      CHECK(o.clear == c.flag);
    } else {
      CHECK(o.flags == c.flag);
      CHECK(o.clear == 0);
    }
    CHECK(o.data.empty());
    CHECK_FALSE(o.bind);
  }
}

TEST_CASE("a later option overrides an earlier one of the same flag") {
  auto o = parse_mount_options({"ro", "rw"});
  CHECK((o.flags & MS_RDONLY) == 0);
  CHECK(o.clear == MS_RDONLY);
  o = parse_mount_options({"rw", "ro"});
  CHECK(o.flags == MS_RDONLY);
  CHECK(o.clear == 0);
}

TEST_CASE("bind and rbind select a bind mount, rbind a recursive one") {
  auto b = parse_mount_options({"bind"});
  CHECK(b.bind);
  CHECK_FALSE(b.recursive_bind);
  CHECK(b.flags == 0);
  auto rb = parse_mount_options({"rbind", "ro"});
  CHECK(rb.bind);
  CHECK(rb.recursive_bind);
  CHECK(rb.flags == MS_RDONLY);
}

TEST_CASE("propagation options map to MS_* with MS_REC for the r forms") {
  const std::pair<const char*, unsigned long> cases[] = {
      {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
      {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
      {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
      {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC}};
  for (auto [name, flag] : cases) {
    CAPTURE(name);
    auto o = parse_mount_options({"rbind", name});
    CHECK(o.propagation == flag);
    CHECK(o.flags == 0);
    CHECK(o.data.empty());
  }
}

TEST_CASE("recursive attribute options fill attr_set and attr_clr for mount_setattr") {
  struct Case {
    const char* option;
    uint64_t set, clr;
  };
  const Case cases[] = {
      {"rro", MOUNT_ATTR_RDONLY, 0},
      {"rrw", 0, MOUNT_ATTR_RDONLY},
      {"rnosuid", MOUNT_ATTR_NOSUID, 0},
      {"rsuid", 0, MOUNT_ATTR_NOSUID},
      {"rnodev", MOUNT_ATTR_NODEV, 0},
      {"rdev", 0, MOUNT_ATTR_NODEV},
      {"rnoexec", MOUNT_ATTR_NOEXEC, 0},
      {"rexec", 0, MOUNT_ATTR_NOEXEC},
      {"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
      {"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
      {"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
      {"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
      {"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
      {"ratime", 0, MOUNT_ATTR__ATIME},
      {"rnostrictatime", 0, MOUNT_ATTR__ATIME},
      {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
      {"rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
  };
  for (const auto& c : cases) {
    CAPTURE(c.option);
    auto o = parse_mount_options({c.option});
    CHECK(o.attr_set == c.set);
    CHECK(o.attr_clr == c.clr);
    CHECK(o.flags == 0);
    CHECK(o.data.empty());
  }
  auto combined = parse_mount_options({"rbind", "rro", "rnosuid", "rnoexec", "rnoatime"});
  CHECK(combined.attr_set ==
        (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC | MOUNT_ATTR_NOATIME));
  CHECK(combined.attr_clr == MOUNT_ATTR__ATIME);
}

TEST_CASE("unknown options are filesystem data, joined with commas in order") {
  auto o = parse_mount_options(
      {"nosuid", "newinstance", "ptmxmode=0666", "noexec", "mode=0620", "gid=5", "acl"});
  CHECK(o.flags == (MS_NOSUID | MS_NOEXEC));
  CHECK(o.data == "newinstance,ptmxmode=0666,mode=0620,gid=5,acl");
  auto tmpfs = parse_mount_options({"nosuid", "strictatime", "mode=755", "size=65536k"});
  CHECK(tmpfs.flags == (MS_NOSUID | MS_STRICTATIME));
  CHECK(tmpfs.data == "mode=755,size=65536k");
}

TEST_CASE("tmpcopyup, idmap and defaults are recognised and never reach the data") {
  auto o = parse_mount_options({"defaults", "tmpcopyup", "ridmap", "size=1m"});
  CHECK(o.copy_up);
  CHECK(o.idmap);
  CHECK(o.data == "size=1m");
  CHECK(parse_mount_options({"idmap"}).idmap);
  CHECK(parse_mount_options({}).data.empty());
}
