#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "keel/linux/rootfs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using keel::UniqueFd;
using keel::rootfs::open_in_root;
using namespace keel::rootfs::test;

namespace {

struct Fixture {
  TempDir root{"keel-rootfs-root"};
  TempDir host{"keel-rootfs-host"};  // stands for the host: nothing may appear or change here
  UniqueFd root_fd{::open(root.path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC)};

  Fixture() { write_file(host / "marker", "host"); }

  ino_t host_marker_inode() const {
    struct stat st {};
    ::stat((host / "marker").c_str(), &st);
    return st.st_ino;
  }
  size_t host_entries() const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(host.path()), {}));
  }
  static ino_t inode(int fd) {
    struct stat st {};
    ::fstat(fd, &st);
    return st.st_ino;
  }
};

}  // namespace

TEST_CASE("open_in_root resolves an absolute symlink inside the root, never on the host") {
  Fixture f;
  fs::create_symlink(f.host.path(), f.root / "abs");
  auto fd = open_in_root(f.root_fd.get(), "/abs/marker", false, false);
  REQUIRE_FALSE(fd);
  CHECK(fd.error().code == ENOENT);

  auto created = open_in_root(f.root_fd.get(), "/abs/marker", true, true);
  REQUIRE(created);
  CHECK(Fixture::inode(created->get()) != f.host_marker_inode());
  CHECK(fs::is_regular_file(f.root.path() + f.host.path() + "/marker"));
  CHECK(read_file(f.host / "marker") == "host");
  CHECK(f.host_entries() == 1);
}

TEST_CASE("open_in_root clamps ../../.. symlinks at the root") {
  Fixture f;
  fs::create_directories(f.root / "a/b");
  fs::create_symlink("../../../../../../../.." + f.host.path(), f.root / "a/b/up");
  auto created = open_in_root(f.root_fd.get(), "a/b/up/marker", true, true);
  REQUIRE(created);
  CHECK(Fixture::inode(created->get()) != f.host_marker_inode());
  CHECK(fs::exists(f.root.path() + f.host.path() + "/marker"));
  CHECK(f.host_entries() == 1);

  auto dotdot = open_in_root(f.root_fd.get(), "../../../../etc/keel-rootfs-never", true, false);
  REQUIRE(dotdot);
  CHECK(fs::is_directory(f.root / "etc/keel-rootfs-never"));
  CHECK_FALSE(fs::exists("/etc/keel-rootfs-never"));
}

TEST_CASE("open_in_root follows a dangling symlink chain by creating its target inside the root") {
  Fixture f;
  fs::create_directories(f.root / "etc");
  fs::create_symlink(f.host.path() + "/new-file", f.root / "etc/hostname");
  fs::create_symlink("/etc/hostname", f.root / "second");
  auto created = open_in_root(f.root_fd.get(), "/second", true, true);
  REQUIRE(created);
  CHECK(fs::is_regular_file(f.root.path() + f.host.path() + "/new-file"));
  CHECK_FALSE(fs::exists(f.host / "new-file"));
  CHECK(f.host_entries() == 1);
}

TEST_CASE("open_in_root creates missing directories and reports a symlink loop") {
  Fixture f;
  auto dir = open_in_root(f.root_fd.get(), "/x/y/z", true, false);
  REQUIRE(dir);
  CHECK(fs::is_directory(f.root / "x/y/z"));
  fs::create_symlink("loop2", f.root / "loop1");
  fs::create_symlink("loop1", f.root / "loop2");
  auto loop = open_in_root(f.root_fd.get(), "/loop1/file", true, true);
  REQUIRE_FALSE(loop);
  CHECK(loop.error().code == ELOOP);
}

TEST_CASE("open_in_root refuses /proc/self/root and /proc/self/fd magic links") {
  Fixture f;
  fs::create_directories(f.root / "proc");
  fs::create_symlink("/proc/self/root" + f.host.path(), f.root / "magic-root");
  fs::create_symlink("/proc/self/fd/" + std::to_string(f.root_fd.get()), f.root / "magic-fd");
  std::string root = f.root.path();
  std::string host = f.host.path();
  auto r = run_in_mount_ns([&](std::string& out) {
    if (::mount("proc", (root + "/proc").c_str(), "proc", 0, nullptr) < 0) {
      out += "mount proc failed\n";
      return 1;
    }
    UniqueFd root_fd(::open(root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    for (const char* link : {"magic-root/marker", "magic-fd/x", "proc/self/root/etc/passwd"}) {
      auto fd = open_in_root(root_fd.get(), link, true, true);
      out += std::string(link) + "=" + (fd ? "opened" : errno_name(fd.error().code)) + "\n";
    }
    return 0;
  });
  CHECK(r.exit_code == 0);
  CHECK(r.values["magic-root/marker"] == "ELOOP");
  CHECK(r.values["magic-fd/x"] == "ELOOP");
  CHECK(r.values["proc/self/root/etc/passwd"] == "ELOOP");
  CHECK(f.host_entries() == 1);
  CHECK(host_mounts_mentioning(root).empty());
}
