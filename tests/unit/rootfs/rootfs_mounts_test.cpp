// prepare/pivot/finish for real, in a child with its own mount (and network) namespace.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <termios.h>
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

std::string dev_of(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) < 0) return errno_name(errno);
  return std::to_string(major(st.st_rdev)) + ":" + std::to_string(minor(st.st_rdev));
}

std::string write_error(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return errno_name(errno);
  ::close(fd);
  return "writable";
}

std::string mkdir_error(const std::string& path) {
  return ::mkdir(path.c_str(), 0755) < 0 ? errno_name(errno) : "created";
}

std::string link_of(const std::string& path) {
  std::error_code ec;
  auto target = fs::read_symlink(path, ec);
  return ec ? "<none>" : target.string();
}

// "fstype options" of the mount at `point` in our mountinfo, or "<none>".
std::string mount_at(const std::string& point) {
  std::istringstream in(read_file("/proc/self/mountinfo"));
  std::string line, found = "<none>";
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, dev, root, mp, opts, x;
    f >> id >> parent >> dev >> root >> mp >> opts;
    if (mp != point) continue;
    while (f >> x && x != "-") {
    }
    std::string type, source, super;
    f >> type >> source >> super;
    found = type + " " + opts + " " + super;  // the last mount on a point wins
  }
  return found;
}

std::string run_sh(const std::string& script) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) < 0) return "<pipe>";
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    const char* argv[] = {"/bin/sh", "-c", script.c_str(), nullptr};
    ::execv("/bin/sh", const_cast<char* const*>(argv));
    ::_exit(127);
  }
  ::close(fds[1]);
  std::string out;
  char buf[512];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

struct CgroupDir {
  std::string path;
  explicit CgroupDir(const std::string& hierarchy)
      : path("/sys/fs/cgroup/" + hierarchy + "/keel-test/rootfs-" + std::to_string(::getpid())) {
    fs::create_directories(path);
  }
  ~CgroupDir() {
    ::rmdir(path.c_str());
    ::rmdir(fs::path(path).parent_path().c_str());  // fails while other tests use keel-test
  }
};

Config full_config(const std::string& host_hostname) {
  Config c;
  c.root = keel::spec::Root{"rootfs", true};
  c.mounts = {
      Mount{"/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}, {}, {}},
      Mount{"/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}, {}, {}},
      Mount{"/dev/pts",
            "devpts",
            "devpts",
            {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"},
            {},
            {}},
      Mount{"/dev/shm",
            "tmpfs",
            "shm",
            {"nosuid", "noexec", "nodev", "mode=1777", "size=1m"},
            {},
            {}},
      Mount{"/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}, {}, {}},
      Mount{"/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}, {}, {}},
      Mount{"/sys/fs/cgroup", "cgroup", "cgroup", {"ro", "nosuid", "noexec", "nodev"}, {}, {}},
      Mount{"/etc/hostname", "bind", host_hostname, {"rbind", "rprivate", "ro"}, {}, {}},
      Mount{"/seeded", "tmpfs", "tmpfs", {"tmpcopyup", "size=1m"}, {}, {}},
  };
  keel::spec::Linux linux;
  linux.masked_paths = {"/proc/kcore", "/proc/keys", "/sys/firmware", "/proc/keel-does-not-exist"};
  linux.readonly_paths = {"/proc/sys", "/proc/keel-does-not-exist-either"};
  linux.devices = {keel::spec::Device{"c", "/dev/keel-full", 1, 7, 0600, 1000, 1000}};
  c.linux = linux;
  return c;
}

// Everything checked from inside the container, as key=value lines.
void inspect(std::string& out) {
  auto put = [&](const std::string& k, const std::string& v) { out += k + "=" + v + "\n"; };
  put("dev_null", dev_of("/dev/null"));
  put("dev_zero", dev_of("/dev/zero"));
  put("dev_tty", dev_of("/dev/tty"));
  struct stat st {};
  ::stat("/dev/keel-full", &st);
  std::ostringstream node;
  node << std::oct << (st.st_mode & 07777) << std::dec << " " << st.st_uid << ":" << st.st_gid
       << " " << dev_of("/dev/keel-full");
  put("spec_device", node.str());
  put("ptmx", link_of("/dev/ptmx"));
  put("fd", link_of("/dev/fd"));
  put("stderr", link_of("/dev/stderr"));
  put("pts_ptmx", dev_of("/dev/pts/ptmx"));
  put("proc", mount_at("/proc").substr(0, mount_at("/proc").find(' ')));
  put("dev", mount_at("/dev"));
  put("devpts", mount_at("/dev/pts"));
  put("mqueue", mount_at("/dev/mqueue").substr(0, 6));
  put("sys", mount_at("/sys"));
  put("shm_write", write_error("/dev/shm/file"));
  put("proc_sys_write", write_error("/proc/sys/kernel/hostname"));
  put("keys", std::to_string(read_file("/proc/keys").size()) + " " + dev_of("/proc/keys"));
  // Not every kernel has /proc/kcore (CONFIG_PROC_KCORE); masked when it exists.
  put("kcore", fs::exists("/proc/kcore")
                   ? std::to_string(read_file("/proc/kcore").size()) + " " + dev_of("/proc/kcore")
                   : "0 1:3");
  put("firmware_entries",
      std::to_string(std::distance(fs::directory_iterator("/sys/firmware"), {})));
  put("firmware_write", write_error("/sys/firmware/x"));
  put("root_write", write_error("/new-file"));
  put("hostname", read_file("/etc/hostname"));
  put("hostname_write", write_error("/etc/hostname"));
  put("cgroup_root", mount_at("/sys/fs/cgroup").substr(0, 5));
  put("cgroup_mkdir", mkdir_error("/sys/fs/cgroup/new"));
  put("cgroup_pids_max", fs::exists("/sys/fs/cgroup/pids/pids.max") ? "present" : "missing");
  put("cgroup_pids_write", write_error("/sys/fs/cgroup/pids/pids.max"));
  put("cgroup_memory",
      fs::exists("/sys/fs/cgroup/memory/memory.limit_in_bytes") ? "present" : "missing");
  put("seeded", read_file("/seeded/seed"));
  put("sh", run_sh("cat /etc/hostname; echo from-busybox"));
  put("cwd", fs::current_path().string());
  put("old_root_gone", fs::exists("/bin/busybox") && !fs::exists("/usr/lib") ? "yes" : "no");
}

}  // namespace

TEST_CASE("prepare, pivot and finish build a busybox container's filesystem") {
  struct statfs cgroot {};
  if (::statfs("/sys/fs/cgroup", &cgroot) == 0 &&
      static_cast<unsigned long>(cgroot.f_type) == CGROUP2_SUPER_MAGIC) {
    MESSAGE("skipped: this case checks the cgroup v1 mount emulation (per-controller binds)");
    return;
  }
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  make_dirs(rootfs + "/seeded");
  write_file(rootfs + "/seeded/seed", "seed-content");
  write_file(dir / "hostname", "keel-host-file\n");
  CgroupDir pids("pids"), memory("memory");
  Config config = full_config(dir / "hostname");
  std::string host_before = host_mounts_mentioning(dir.path());

  for (bool private_network : {true, false}) {
    CAPTURE(private_network);
    keel::rootfs::Plan plan;
    plan.config = &config;
    plan.rootfs = rootfs;
    plan.private_network = private_network;
    plan.cgroup_paths = {{"pids", pids.path}, {"memory", memory.path}};
    auto r = run_in_mount_ns(
        [&](std::string& out) {
          if (auto p = keel::rootfs::prepare(plan); !p)
            return out += "prepare: " + p.error().message + "\n", 1;
          if (auto p = keel::rootfs::pivot(plan); !p)
            return out += "pivot: " + p.error().message + "\n", 2;
          if (auto p = keel::rootfs::finish(plan); !p)
            return out += "finish: " + p.error().message + "\n", 3;
          inspect(out);
          return 0;
        },
        private_network ? CLONE_NEWNET : 0);
    INFO(r.output);
    REQUIRE(r.exit_code == 0);
    auto& v = r.values;
    CHECK(v["dev_null"] == "1:3");
    CHECK(v["dev_zero"] == "1:5");
    CHECK(v["dev_tty"] == "5:0");
    CHECK(v["spec_device"] == "600 1000:1000 1:7");
    CHECK(v["ptmx"] == "pts/ptmx");
    CHECK(v["fd"] == "/proc/self/fd");
    CHECK(v["stderr"] == "/proc/self/fd/2");
    CHECK(v["pts_ptmx"] == "5:2");
    CHECK(v["proc"] == "proc");
    CHECK(v["dev"].starts_with("tmpfs rw,nosuid"));
    CHECK(v["dev"].find("size=65536k") != std::string::npos);
    CHECK(v["dev"].find("mode=755") != std::string::npos);
    CHECK(v["devpts"].find("ptmxmode=666") != std::string::npos);
    CHECK(v["mqueue"] == "mqueue");
    CHECK(v["sys"].starts_with(private_network ? "sysfs ro," : "sysfs ro,"));
    CHECK(v["shm_write"] == "writable");
    CHECK(v["proc_sys_write"] == "EROFS");
    CHECK(v["keys"] == "0 1:3");
    CHECK(v["kcore"] == "0 1:3");
    CHECK(v["firmware_entries"] == "0");
    CHECK(v["firmware_write"] == "EROFS");
    CHECK(v["root_write"] == "EROFS");
    CHECK(v["hostname"] == "keel-host-file");
    CHECK(v["hostname_write"] == "EROFS");
    CHECK(v["cgroup_root"] == "tmpfs");
    CHECK(v["cgroup_mkdir"] == "created");  // runc leaves the tmpfs writable, binds are ro
    CHECK(v["cgroup_pids_max"] == "present");
    CHECK(v["cgroup_pids_write"] == "EROFS");
    CHECK(v["cgroup_memory"] == "present");
    CHECK(v["seeded"] == "seed-content");
    CHECK(v["sh"] == "keel-host-file");
    CHECK(v["cwd"] == "/");
    CHECK(v["old_root_gone"] == "yes");
  }
  CHECK(host_mounts_mentioning(dir.path()) == host_before);
  CHECK(host_mounts_mentioning(dir.path()).empty());
  CHECK(read_file(dir / "hostname") == "keel-host-file\n");
}

TEST_CASE("no-pivot moves the rootfs onto / and chroots") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  Config config;
  config.mounts = {Mount{"/proc", "proc", "proc", {}, {}, {}},
                   Mount{"/dev", "tmpfs", "tmpfs", {"mode=755"}, {}, {}}};
  auto plan = plan_for(config, rootfs);
  plan.no_pivot = true;
  auto r = run_in_mount_ns([&](std::string& out) {
    if (auto p = keel::rootfs::prepare(plan); !p)
      return out += "prepare: " + p.error().message + "\n", 1;
    if (auto p = keel::rootfs::pivot(plan); !p)
      return out += "pivot: " + p.error().message + "\n", 2;
    if (auto p = keel::rootfs::finish(plan); !p)
      return out += "finish: " + p.error().message + "\n", 3;
    out += "sh=" + run_sh("echo inside") + "\n";
    out += "null=" + dev_of("/dev/null") + "\n";
    return 0;
  });
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.values["sh"] == "inside");
  CHECK(r.values["null"] == "1:3");
  CHECK(host_mounts_mentioning(dir.path()).empty());
}

TEST_CASE("mount_console binds the container's pty slave at /dev/console and refuses others") {
  TempDir dir;
  std::string rootfs = dir / "rootfs";
  make_busybox_rootfs(rootfs);
  Config config;
  config.mounts = {Mount{"/proc", "proc", "proc", {}, {}, {}},
                   Mount{"/dev", "tmpfs", "tmpfs", {"mode=755"}, {}, {}},
                   Mount{"/dev/pts", "devpts", "devpts", {"newinstance", "ptmxmode=0666"}, {}, {}}};
  auto plan = plan_for(config, rootfs);
  auto r = run_in_mount_ns([&](std::string& out) {
    if (auto p = keel::rootfs::prepare(plan); !p)
      return out += "prepare: " + p.error().message + "\n", 1;
    if (auto p = keel::rootfs::pivot(plan); !p)
      return out += "pivot: " + p.error().message + "\n", 2;
    auto refused = keel::rootfs::mount_console("/dev/null");
    out += "null_refused=" + std::string(refused ? "no" : "yes") + "\n";
    int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0 || ::grantpt(master) < 0 || ::unlockpt(master) < 0)
      return out += "openpt failed\n", 4;
    std::string slave = ::ptsname(master);
    if (auto p = keel::rootfs::mount_console(slave); !p)
      return out += "console: " + p.error().message + "\n", 5;
    out += "slave=" + dev_of(slave) + "\nconsole=" + dev_of("/dev/console") + "\n";
    return 0;
  });
  INFO(r.output);
  REQUIRE(r.exit_code == 0);
  CHECK(r.values["null_refused"] == "yes");
  CHECK(r.values["console"] == r.values["slave"]);
  CHECK(r.values["console"].starts_with("136:"));
  CHECK(host_mounts_mentioning(dir.path()).empty());
}
