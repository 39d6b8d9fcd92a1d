// Container ids and CLI paths that try to escape the state root or clobber host files.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "harness.hpp"
#include "security_util.hpp"

using namespace keel::test;
using namespace keel::test::security;
namespace fs = std::filesystem;

TEST_CASE("ids that are paths (../x, a/b, .., ., empty) are refused and create nothing") {
  for (const std::string id : {"../x", "a/b", "..", ".", "", "x/../../y", "/abs"}) {
    CAPTURE(id);
    Bundle b;
    fs::create_directories(b.state_root());
    auto before = dir_entries(b.dir());
    auto r = b.keel({"create", "--bundle", b.dir(), id});
    CHECK(r.exit_code == 1);
    CHECK_FALSE(r.err.empty());
    CHECK(dir_entries(b.state_root()).empty());
    CHECK(dir_entries(b.dir()).size() == before.size());
    CHECK_FALSE(path_exists(b.dir() + "/x"));
    CHECK_FALSE(path_exists(b.dir() + "/y"));
  }
}

TEST_CASE(
    "--pid-file whose final component is a symlink to a host file: the symlink is "
    "replaced, the host file is not clobbered") {
  Bundle b;
  std::string victim = b.dir() + "/victim";
  write_file(victim, "precious\n");
  std::string pid_file = b.dir() + "/init.pid";
  fs::create_symlink(victim, pid_file);
  auto r = b.create({"--pid-file", pid_file});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read_file(victim) == "precious\n");
  CHECK_FALSE(fs::is_symlink(pid_file));
  CHECK(read_file(pid_file) == std::to_string(b.pid()));
  // No temp file is left next to it.
  for (const auto& name : dir_entries(b.dir())) CHECK(name.find(".tmp") == std::string::npos);
}

TEST_CASE("--pid-file in a symlinked directory goes where the caller's path points, atomically") {
  Bundle b;
  fs::create_directories(b.dir() + "/real");
  fs::create_symlink(b.dir() + "/real", b.dir() + "/link");
  auto r = b.create({"--pid-file", b.dir() + "/link/init.pid"});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(read_file(b.dir() + "/real/init.pid") == std::to_string(b.pid()));
  CHECK(dir_entries(b.dir() + "/real").size() == 1);
}

TEST_CASE("--console-socket pointing at a regular file or a directory fails and leaves nothing") {
  for (bool dir : {false, true}) {
    CAPTURE(dir);
    Bundle b;
    std::string not_socket = b.dir() + "/not-a-socket";
    if (dir)
      fs::create_directories(not_socket);
    else
      write_file(not_socket, "keep\n");
    b.set("/process/terminal", "true");
    auto r = b.create({"--console-socket", not_socket});
    CHECK(r.exit_code == 1);
    CHECK_FALSE(r.err.empty());
    if (!dir) CHECK(read_file(not_socket) == "keep\n");
    CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
    CHECK(keel_test_cgroups(b.id()).empty());
  }
}

TEST_CASE("--root through a symlink works and keeps state inside the real directory") {
  Bundle b;
  fs::create_directories(b.dir() + "/real-root");
  fs::create_symlink(b.dir() + "/real-root", b.dir() + "/root-link");
  auto r = run_keel({"--root", b.dir() + "/root-link", "create", "--bundle", b.dir(), b.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(path_exists(b.dir() + "/real-root/" + b.id() + "/state.json"));
  auto d = run_keel({"--root", b.dir() + "/root-link", "delete", "--force", b.id()});
  CHECK(d.exit_code == 0);
  CHECK_FALSE(path_exists(b.dir() + "/real-root/" + b.id()));
}
