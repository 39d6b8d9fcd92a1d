// The CVE classes of DESIGN.md section 6 that concern mounts, each on a hostile rootfs.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "keel/linux/rootfs.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
using keel::spec::Config;
using keel::spec::Mount;
using namespace keel::rootfs::test;

namespace {

// Runs prepare (and, when asked, pivot + finish) in a child; returns its error message or "ok".
ChildResult run_plan(const keel::rootfs::Plan& plan, bool all_steps,
                     const std::function<void(std::string&)>& after_prepare = {}) {
  return run_in_mount_ns([&](std::string& out) {
    auto p = keel::rootfs::prepare(plan);
    if (p && after_prepare) after_prepare(out);
    if (p && all_steps) p = keel::rootfs::pivot(plan);
    if (p && all_steps) p = keel::rootfs::finish(plan);
    out += "result=" + (p ? std::string("ok") : p.error().message) + "\n";
    return p ? 0 : 1;
  });
}

}  // namespace

TEST_CASE("a bind whose target is a symlink to a host path lands inside the rootfs") {
  TempDir dir, host{"keel-rootfs-hostside"};
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  write_file(host / "target", "host-original");
  write_file(dir / "src", "from-bundle");
  fs::create_symlink(host / "target", rootfs + "/etc/hostname");
  fs::create_symlink("../../../../../../../../.." + host.path() + "/target", rootfs + "/etc/hosts");
  Config config;
  config.mounts = {Mount{"/etc/hostname", "bind", dir / "src", {"bind", "ro"}, {}, {}},
                   Mount{"/etc/hosts", "bind", dir / "src", {"bind"}, {}, {}}};
  auto plan = plan_for(config, rootfs);
  std::string host_target = host / "target";
  std::string in_root = rootfs + host.path() + "/target";
  auto r = run_plan(plan, false, [&](std::string& out) {
    out += "host_seen_in_ns=" + read_file(host_target) + "\n";
    out += "in_root=" + read_file(in_root) + "\n";
  });
  INFO(r.output);
  CHECK(r.values["result"] == "ok");
  CHECK(r.values["host_seen_in_ns"] == "host-original");
  CHECK(r.values["in_root"] == "from-bundle");
  CHECK(read_file(host_target) == "host-original");
  CHECK(host_mounts_mentioning(host.path()).empty());
  CHECK(host_mounts_mentioning(dir.path()).empty());
}

TEST_CASE("a rootfs whose /proc is a symlink cannot get a procfs mounted through it") {
  TempDir dir, host{"keel-rootfs-evilproc"};
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  for (const std::string& target : {host.path(), std::string("etc")}) {
    CAPTURE(target);
    fs::remove(rootfs + "/proc");
    fs::create_symlink(target, rootfs + "/proc");
    Config config;
    config.mounts = {Mount{"/proc", "proc", "proc", {}, {}, {}}};
    auto plan = plan_for(config, rootfs);
    auto r = run_plan(plan, false);
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.values["result"] ==
          "mounting \"proc\" to rootfs at \"/proc\": filesystem \"proc\" must be mounted on "
          "ordinary directory");
    CHECK(fs::is_empty(host.path()));
  }
  CHECK(host_mounts_mentioning(host.path()).empty());
  CHECK(host_mounts_mentioning(dir.path()).empty());
}

TEST_CASE("a failed prepare names the mount and leaves nothing mounted on the host") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  Config config;
  config.mounts = {Mount{"/tmp", "tmpfs", "tmpfs", {"size=1m"}, {}, {}},
                   Mount{"/etc/hosts", "bind", "/keel-rootfs-no-such/src", {"rbind"}, {}, {}}};
  auto plan = plan_for(config, rootfs);
  std::string before = read_file("/proc/self/mountinfo");
  auto r = run_plan(plan, false);
  CHECK(r.exit_code == 1);
  CHECK(r.values["result"].starts_with(
      "mounting \"/keel-rootfs-no-such/src\" to rootfs at \"/etc/hosts\": "));
  CHECK(r.values["result"].ends_with("No such file or directory"));
  CHECK(host_mounts_mentioning(dir.path()).empty());
  CHECK_FALSE(fs::exists(rootfs + "/etc/hosts"));
}

TEST_CASE("mounts inside /proc are refused except the lxcfs files") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  write_file(dir / "fake", "fake");
  Config config;
  config.mounts = {Mount{"/proc", "proc", "proc", {}, {}, {}},
                   Mount{"/proc/meminfo", "bind", dir / "fake", {"bind"}, {}, {}},
                   Mount{"/proc/sys/kernel/core_pattern", "bind", dir / "fake", {"bind"}, {}, {}}};
  auto plan = plan_for(config, rootfs);
  auto r = run_plan(plan, false);
  CHECK(r.values["result"] ==
        "mounting \"" + (dir / "fake") +
            "\" to rootfs at \"/proc/sys/kernel/core_pattern\": "
            "\"/proc/sys/kernel/core_pattern\" cannot be mounted because it is inside /proc");
  config.mounts = {Mount{"/proc", "tmpfs", "tmpfs", {}, {}, {}}};
  r = run_plan(plan, false);
  CHECK(r.values["result"].ends_with("\"/proc\" cannot be mounted because it is not of type proc"));
  CHECK(host_mounts_mentioning(dir.path()).empty());
}

TEST_CASE("masking refuses a /dev/null that is not the 1:3 device") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  write_file(rootfs + "/etc/secret", "secret");
  make_dirs(dir / "fakedev");
  write_file(dir / "fakedev/null", "not a device");
  Config config;
  config.mounts = {Mount{"/dev", "bind", dir / "fakedev", {"rbind"}, {}, {}}};
  keel::spec::Linux linux;
  linux.masked_paths = {"/etc/secret"};
  config.linux = linux;
  auto plan = plan_for(config, rootfs);
  auto r = run_plan(plan, true);
  CHECK(r.exit_code == 1);
  CHECK(r.values["result"] == "masking /etc/secret: /dev/null is not the null device (1:3)");

  fs::remove(dir / "fakedev/null");
  fs::create_symlink("/etc/secret", dir / "fakedev/null");
  r = run_plan(plan, true);
  CHECK(r.exit_code == 1);
  CHECK(r.values["result"] == "masking /etc/secret: /dev/null is not the null device (1:3)");
  CHECK(read_file(rootfs + "/etc/secret") == "secret");
  CHECK(host_mounts_mentioning(dir.path()).empty());
}

TEST_CASE("a device node path outside /dev or over a symlink is refused") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  Config config;
  config.mounts = {Mount{"/dev", "tmpfs", "tmpfs", {}, {}, {}}};
  keel::spec::Linux linux;
  linux.devices = {keel::spec::Device{"c", "/dev/../etc/evil", 1, 3, {}, {}, {}}};
  config.linux = linux;
  auto plan = plan_for(config, rootfs);
  auto r = run_plan(plan, false);
  CHECK(r.values["result"] == "creating device nodes: device /dev/../etc/evil is not under /dev");
  CHECK_FALSE(fs::exists(rootfs + "/etc/evil"));

  // Without a /dev mount the image's own /dev is used: a symlink there is not followed.
  config.mounts.clear();
  make_dirs(rootfs + "/dev");
  fs::create_symlink("/etc/passwd", rootfs + "/dev/null");
  r = run_plan(plan, false);
  CHECK(r.values["result"] == "creating device nodes: device /dev/null is a symlink");
  CHECK(host_mounts_mentioning(dir.path()).empty());
}
