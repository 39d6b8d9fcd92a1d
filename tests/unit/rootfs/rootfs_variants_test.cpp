// Plan variants: root propagation, a read-only /dev, devices in a user namespace.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "keel/linux/rootfs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using keel::spec::Config;
using keel::spec::Mount;
using namespace keel::rootfs::test;

namespace {

// The optional fields ("shared:N master:M") of the mount at `point`, "private" when none.
std::string propagation_at(const std::string& point) {
  std::istringstream in(read_file("/proc/self/mountinfo"));
  std::string line, found = "<none>";
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, dev, root, mp, opts, x, fields;
    f >> id >> parent >> dev >> root >> mp >> opts;
    if (mp != point) continue;
    while (f >> x && x != "-") fields += (fields.empty() ? "" : " ") + x.substr(0, x.find(':'));
    found = fields.empty() ? "private" : fields;
  }
  return found;
}

std::string write_result(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return errno_name(errno);
  ::close(fd);
  return "writable";
}

ChildResult run_all(const keel::rootfs::Plan& plan,
                    const std::function<void(std::string&)>& inspect) {
  return run_in_mount_ns([&](std::string& out) {
    auto p = keel::rootfs::prepare(plan);
    if (p) p = keel::rootfs::pivot(plan);
    if (p) p = keel::rootfs::finish(plan);
    if (!p) return out += "error=" + p.error().message + "\n", 1;
    inspect(out);
    return 0;
  });
}

}  // namespace

TEST_CASE("rootfsPropagation is applied to the container's / after pivot") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  using P = std::pair<std::string, std::string>;
  for (auto [name, expected] :
       {P{"rshared", "shared"}, P{"rprivate", "private"}, P{"rslave", "private"}}) {
    CAPTURE(name);
    Config config;
    config.mounts = {Mount{"/proc", "proc", "proc", {}, {}, {}}};
    config.linux = keel::spec::Linux{};
    config.linux->rootfs_propagation = name;
    auto plan = plan_for(config, rootfs);
    auto r = run_all(plan, [](std::string& out) { out += "root=" + propagation_at("/") + "\n"; });
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    CHECK(r.values["root"] == expected);
  }
  CHECK(host_mounts_mentioning(dir.path()).empty());
}

TEST_CASE("rootfsPropagation: an unknown value and [r]private with no-pivot are refused") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  Config config;
  config.linux = keel::spec::Linux{};
  config.linux->rootfs_propagation = "rprivate";
  auto plan = plan_for(config, rootfs);
  plan.no_pivot = true;
  auto r = run_all(plan, [](std::string&) {});
  CHECK(r.values["error"] ==
        "preparing rootfs: rootfsPropagation of [r]private is not safe without pivot_root");
  config.linux->rootfs_propagation = "sideways";
  plan.no_pivot = false;
  r = run_all(plan, [](std::string&) {});
  CHECK(r.values["error"] == "preparing rootfs: rootfsPropagation=sideways is not supported");
}

TEST_CASE("a read-only /dev gets its devices first and is read-only in the container") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  Config config;
  config.mounts = {Mount{"/proc", "proc", "proc", {}, {}, {}},
                   Mount{"/dev", "tmpfs", "tmpfs", {"ro", "mode=755"}, {}, {}}};
  auto plan = plan_for(config, rootfs);
  auto r = run_all(plan, [](std::string& out) {
    struct stat st {};
    ::stat("/dev/urandom", &st);
    out += "urandom=" + std::to_string(major(st.st_rdev)) + ":" +
           std::to_string(minor(st.st_rdev)) + "\n";
    out += "dev_write=" + write_result("/dev/new") + "\n";
    out += "root_write=" + write_result("/new") + "\n";
  });
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.values["urandom"] == "1:9");
  CHECK(r.values["dev_write"] == "EROFS");
  CHECK(r.values["root_write"] == "writable");
  CHECK(host_mounts_mentioning(dir.path()).empty());
}

TEST_CASE("with a user namespace, devices are bind mounts of the host's nodes") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  Config config;
  config.mounts = {Mount{"/proc", "proc", "proc", {}, {}, {}},
                   Mount{"/dev", "tmpfs", "tmpfs", {"mode=755"}, {}, {}}};
  auto plan = plan_for(config, rootfs);
  plan.in_user_namespace = true;
  auto r = run_all(plan, [](std::string& out) {
    struct stat st {
    }, host{};
    ::stat("/dev/null", &st);
    out += "null=" + std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev)) +
           "\n";
    out += "null_is_mount=" + std::string(propagation_at("/dev/null") == "<none>" ? "no" : "yes") +
           "\n";
    (void)host;
  });
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.values["null"] == "1:3");
  CHECK(r.values["null_is_mount"] == "yes");
  CHECK(host_mounts_mentioning(dir.path()).empty());
}
