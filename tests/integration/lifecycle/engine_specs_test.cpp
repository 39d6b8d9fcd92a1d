// Specs real engines generated (tests/fixtures/specs), pointed at a busybox rootfs, run under keel.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "harness.hpp"

using namespace keel::test;

namespace {

std::string fixture(const std::string& name) {
  return read_file(std::string(KEEL_SOURCE_DIR) + "/tests/fixtures/specs/" + name);
}

// Loads an engine's config.json into the bundle and makes it runnable here: our rootfs, our
// cgroup path, no terminal, a command of ours, and every bind source replaced by a file (or dir)
// in the bundle.
void adopt_engine_spec(Bundle& b, const std::string& name, const std::string& shell) {
  write_file(b.config_path(), fixture(name));
  b.set("/root/path", "\"rootfs\"");
  b.set("/linux/cgroupsPath", "\"" + b.cgroup_path() + "\"");
  b.set("/process/terminal", "false");
  b.set_command(shell);
  b.remove("/hooks");
  // Rewrite bind mounts one by one through the JSON pointer API.
  for (int i = 0; i < 32; ++i) {
    std::string cfg = b.config();
    std::string key = "\"destination\"";
    size_t pos = 0;
    for (int k = 0; k <= i && pos != std::string::npos; ++k) pos = cfg.find(key, pos + 1);
    if (pos == std::string::npos) break;
    // Parse the mount through the harness: read type and destination with simple lookups.
    size_t start = cfg.rfind('{', pos), end = cfg.find('}', pos);
    std::string mount = cfg.substr(start, end - start + 1);
    if (mount.find("\"bind\"") == std::string::npos && mount.find("\"rbind\"") == std::string::npos)
      continue;
    bool is_dir = mount.find("/shm\"") != std::string::npos;
    std::string src = b.dir() + "/src-" + std::to_string(i);
    if (is_dir) {
      std::filesystem::create_directories(src);
    } else {
      write_file(src, "engine-file-" + std::to_string(i) + "\n");
    }
    b.set("/mounts/" + std::to_string(i) + "/source", "\"" + src + "\"");
  }
}

}  // namespace

TEST_CASE("docker's create spec runs under keel") {
  Bundle b;
  adopt_engine_spec(b, "docker-create.json", "cat /etc/hostname; hostname");
  auto r = b.run();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("engine-file-") != std::string::npos);
}

TEST_CASE("podman's create spec runs under keel") {
  Bundle b;
  adopt_engine_spec(b, "podman-create.json", "echo logged-line; cat /run/.containerenv");
  auto r = b.run();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("logged-line\nengine-file-") == 0);
}

TEST_CASE("ctr's create spec runs under keel") {
  Bundle b;
  adopt_engine_spec(b, "ctr-create.json", "echo ctr-ok");
  auto r = b.run();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "ctr-ok\n");
}

TEST_CASE("CRI sandbox + app: the app joins the sandbox's pid, ipc, uts and net namespaces") {
  Bundle sandbox;
  adopt_engine_spec(sandbox, "cri-sandbox-create.json", "exec sleep 60");
  REQUIRE_MESSAGE(sandbox.create().exit_code == 0, sandbox.create().err);
  REQUIRE(sandbox.start().exit_code == 0);
  pid_t spid = sandbox.pid();
  REQUIRE(spid > 0);

  Bundle app;
  adopt_engine_spec(app, "cri-app-create.json",
                    "echo hello-from-cri; for n in pid ipc uts net; do readlink "
                    "/proc/self/ns/$n; done; ps -o pid,comm | grep -c sleep");
  std::string cfg = app.config();
  for (size_t p; (p = cfg.find("/proc/9479/")) != std::string::npos;)
    cfg.replace(p, 11, "/proc/" + std::to_string(spid) + "/");
  write_file(app.config_path(), cfg);
  auto r = app.run();
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("hello-from-cri\n") == 0);
  for (const char* ns : {"pid", "ipc", "uts", "net"}) {
    auto link = std::filesystem::read_symlink("/proc/" + std::to_string(spid) + "/ns/" + ns);
    CHECK_MESSAGE(r.out.find(link.string()) != std::string::npos, std::string(ns));
  }
  CHECK(r.out.find("\n1\n") != std::string::npos);  // sees the sandbox's sleep
}
