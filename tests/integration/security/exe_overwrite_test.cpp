// CVE-2019-5736 class: a container process reaches a runtime process through /proc (no pid
// namespace: a hostile bundle may leave it out) and tries to overwrite the runtime binary via
// /proc/<pid>/exe or to use its fds via /proc/<pid>/fd. The runtime processes (the `run` parent
// and a created init that has not exec'd yet, whose exe IS the keel binary) are non-dumpable,
// so every such open must fail and the binary and plugins must stay byte-identical.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>

#include "harness.hpp"
#include "security_util.hpp"

using namespace keel::test;
using namespace keel::test::security;
namespace fs = std::filesystem;

namespace {

// Contents of the keel binary and every plugin .so.
std::map<std::string, std::string> runtime_files() {
  std::map<std::string, std::string> files;
  files[KEEL_BINARY] = read_file(KEEL_BINARY);
  std::error_code ec;
  for (auto& e : fs::directory_iterator(KEEL_PLUGIN_DIR, ec))
    if (e.path().extension() == ".so") files[e.path().string()] = read_file(e.path().string());
  return files;
}

// Finds every process whose cmdline names the keel binary ($KEEL_PAT, from the environment so
// this script's own cmdline does not match) and tries to write its exe and its fds and to
// resolve them. (Listing the fd numbers is allowed by the kernel: the dir is owned by root;
// opening or resolving an entry needs ptrace access, refused for a non-dumpable process.)
constexpr const char* kAttack = R"(pat="$KEEL_PAT"
for d in /proc/[0-9]*; do
  grep -q "$pat" $d/cmdline 2>/dev/null || continue
  n=${d#/proc/}
  echo "found $n"
  (echo pwned >> $d/exe) 2>/dev/null && echo "WROTE exe $n"
  for f in 0 1 2 3 4 5 6 7 8 9 10; do
    (echo pwned >> $d/fd/$f) 2>/dev/null && echo "WROTE fd $n/$f"
    readlink $d/fd/$f >/dev/null 2>&1 && echo "READLINK fd $n/$f"
  done
  readlink $d/exe >/dev/null 2>&1 && echo "READLINK exe $n"
done
echo done)";

}  // namespace

TEST_CASE(
    "CVE-2019-5736: a container sharing the host pid namespace cannot write the runtime's "
    "exe or fds, neither of `run` nor of a created init; keel and plugins unchanged") {
  auto before = runtime_files();
  REQUIRE(before.size() >= 2);  // keel + at least the cgroup plugin

  // A: created, its init waits on exec.fifo still running keel's code (exe = keel).
  Bundle a("sec-a");
  a.set_command("sleep 1");
  REQUIRE(a.create().exit_code == 0);
  pid_t init = a.pid();
  REQUIRE(init > 0);

  // B: the attacker, without a pid namespace, started by `keel run` (the runtime is its parent).
  Bundle b("sec-b");
  set_namespaces(b, R"([{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}])");
  b.set_command(kAttack);
  b.append("/process/env", std::string("\"KEEL_PAT=") + KEEL_BINARY + "\"");
  auto r = b.run({}, with_timeout(30s));
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  INFO("attack output:\n" << r.out);
  CHECK(r.out.find("found " + std::to_string(init) + "\n") != std::string::npos);
  CHECK(r.out.find("WROTE") == std::string::npos);
  CHECK(r.out.find("READLINK") == std::string::npos);
  CHECK(r.out.ends_with("done\n"));

  auto after = runtime_files();
  for (const auto& [path, bytes] : before) {
    INFO(path);
    CHECK(after[path] == bytes);
  }
}

TEST_CASE("CVE-2019-5736: the container's own /proc/self/exe is busybox after exec, never keel") {
  Bundle b;
  b.set_command("(echo pwned >> /proc/1/exe) 2>/dev/null && echo WROTE; readlink /proc/1/exe");
  auto keel_before = read_file(KEEL_BINARY);
  auto r = b.run();
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(r.out == "/bin/busybox\n");
  CHECK(read_file(KEEL_BINARY) == keel_before);
}
