// The two leaks of CVE-2024-21626: host fds surviving into the container, and a cwd outside the
// container root. Plus creating the cwd inside the rootfs before pivot_root.
#include <dirent.h>
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "keel/fd.hpp"
#include "keel/linux/process.hpp"
#include "support.hpp"

using namespace keel;

namespace {

// The fds open in this process, without the one used to list them.
std::set<int> open_fds() {
  std::set<int> fds;
  DIR* dir = opendir("/proc/self/fd");
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.' && std::atoi(e->d_name) != dirfd(dir)) fds.insert(std::atoi(e->d_name));
  }
  closedir(dir);
  return fds;
}

void open_at(int fd) {
  const int tmp = open("/dev/null", O_RDONLY);  // no O_CLOEXEC: a careless parent's leak
  if (tmp == fd) return;
  dup2(tmp, fd);
  close(tmp);
}

}  // namespace

TEST_CASE("close_fds_except leaves exactly 0-2 and the preserved range open") {
  auto r = test::run_child([]() -> int {
    for (int fd : {3, 4, 5, 6, 9, 40, 1000}) open_at(fd);
    if (!process::close_fds_except(5, 6)) return 2;
    for (int fd : open_fds()) std::printf("%d ", fd);
    return 0;
  });
  CHECK(r.exit_code == 0);
  CHECK(r.output == "0 1 2 5 6 ");
}

TEST_CASE("close_fds_except with an empty range closes everything from 3 up") {
  auto r = test::run_child([]() -> int {
    for (int fd : {3, 7, 512}) open_at(fd);
    if (!process::close_fds_except(3, 2)) return 2;
    for (int fd : open_fds()) std::printf("%d ", fd);
    return 0;
  });
  CHECK(r.exit_code == 0);
  CHECK(r.output == "0 1 2 ");
}

TEST_CASE("the cloexec sweep keeps fds usable but none survives execve") {
  auto r = test::run_child([]() -> int {
    for (int fd : {3, 4, 8}) open_at(fd);
    if (!process::close_fds_except(4, 4, process::FdSweep::cloexec)) return 2;
    for (int fd : {3, 4, 8}) std::printf("%d:%d ", fd, fcntl(fd, F_GETFD) & FD_CLOEXEC);
    std::fflush(stdout);
    // busybox ls lists its own directory fd (3) too; 4 must be there, 8 must not.
    execl("/bin/busybox", "ls", "/proc/self/fd", nullptr);
    return 3;
  });
  CHECK(r.exit_code == 0);
  CHECK(r.output == "3:1 4:0 8:1 0\n1\n2\n3\n4\n");
}

TEST_CASE("a cwd of /proc/self/fd/N naming a host directory is detected after chdir") {
  test::BusyboxRootfs fs;
  auto r = test::run_child([&]() -> int {
    if (unshare(CLONE_NEWNS) != 0) return 2;
    if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return 3;
    if (mount("proc", (fs.root + "/proc").c_str(), "proc", 0, nullptr) != 0) return 4;
    // A runtime fd to a host directory, still open (even if O_CLOEXEC) when cwd is applied.
    const int leaked = open("/tmp", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (chroot(fs.root.c_str()) != 0 || chdir("/") != 0) return 5;
    spec::Process p;
    p.args = {"/bin/true"};
    p.cwd = "/proc/self/fd/" + std::to_string(leaked);
    auto plan = process::finalize(p, {});
    std::printf("%s\n", plan ? "finalized" : plan.error().message.c_str());
    return plan ? 6 : 0;
  });
  CHECK(r.exit_code == 0);
  CHECK(r.output ==
        "current working directory is outside of container mount namespace root -- possible "
        "container breakout detected\n");
}

TEST_CASE("a missing cwd fails finalize with runc's chdir message") {
  test::BusyboxRootfs fs;
  auto r = test::run_child([&]() -> int {
    if (chroot(fs.root.c_str()) != 0 || chdir("/") != 0) return 2;
    spec::Process p;
    p.args = {"/bin/true"};
    p.cwd = "/does/not/exist";
    auto plan = process::finalize(p, {});
    std::printf("%s\n", plan ? "finalized" : plan.error().message.c_str());
    return plan ? 3 : 0;
  });
  CHECK(r.exit_code == 0);
  CHECK(r.output ==
        "chdir to cwd (\"/does/not/exist\") set in config.json failed: no such file or "
        "directory\n");
}

TEST_CASE("verify_cwd accepts a cwd inside the root") {
  CHECK(process::verify_cwd().has_value());
}

TEST_CASE("ensure_cwd creates every missing component inside the rootfs") {
  test::BusyboxRootfs fs;
  UniqueFd root(open(fs.root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  REQUIRE(process::ensure_cwd(root.get(), "/srv//app/./data").has_value());
  struct stat st {};
  REQUIRE(stat((fs.root + "/srv/app/data").c_str(), &st) == 0);
  CHECK(S_ISDIR(st.st_mode));
  CHECK((st.st_mode & 07777) == 0755);
  CHECK(process::ensure_cwd(root.get(), "/srv/app/data").has_value());  // existing: fine
}

TEST_CASE("ensure_cwd never creates anything outside the rootfs through a symlink or ..") {
  test::BusyboxRootfs fs;
  test::TempDir outside;
  std::filesystem::create_symlink(outside.path(), fs.root + "/abs");
  std::filesystem::create_symlink("../../../../../../.." + outside.path(), fs.root + "/rel");
  UniqueFd root(open(fs.root.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  // The links resolve inside the rootfs, where their targets do not exist: refused.
  CHECK_FALSE(process::ensure_cwd(root.get(), "/abs/made").has_value());
  CHECK_FALSE(process::ensure_cwd(root.get(), "/rel/made").has_value());
  // ".." is clamped at the rootfs.
  REQUIRE(process::ensure_cwd(root.get(), "/../../../made-by-dots").has_value());
  CHECK(std::filesystem::is_directory(fs.root + "/made-by-dots"));
  CHECK(std::filesystem::is_empty(outside.path()));
}
