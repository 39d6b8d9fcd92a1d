#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>

#include "run_binary.hpp"

TEST_CASE("a missing container id is runc's usage error: help on stdout, one error line, exit 1") {
  auto r = run_keel({"state"});
  CHECK(r.code == 1);
  CHECK(r.out.starts_with(
      "Incorrect Usage.\n\nNAME:\n   keel state - output the state of a container"));
  CHECK(r.err.find("level=error msg=\"" KEEL_BINARY
                   ": \\\"state\\\" requires exactly 1 argument(s)\"") != std::string::npos);
  CHECK(run_keel({"start", "a", "b"}).code == 1);
  auto kill = run_keel({"kill"});
  CHECK(kill.code == 1);
  CHECK(kill.err.find("requires a minimum of 1 argument(s)") != std::string::npos);
}

TEST_CASE("an unknown flag is an error naming it, an unknown command exits 3") {
  auto r = run_keel({"create", "--bogus", "x"});
  CHECK(r.code == 1);
  CHECK(r.out.starts_with("Incorrect Usage: flag provided but not defined: -bogus\n\n"));
  CHECK(r.err.find("msg=\"flag provided but not defined: -bogus\"") != std::string::npos);
  auto g = run_keel({"--bogus", "list"});
  CHECK(g.code == 1);
  CHECK(g.err.find("flag provided but not defined: -bogus") != std::string::npos);
  auto c = run_keel({"frobnicate"});
  CHECK(c.code == 3);
  CHECK(c.err.find("No help topic for 'frobnicate'") != std::string::npos);
}

TEST_CASE("--help prints help and exits 0, for the program and for each command") {
  auto app = run_keel({"--help"});
  CHECK(app.code == 0);
  CHECK(app.out.find("COMMANDS:") != std::string::npos);
  CHECK(app.out.find("   plugins") != std::string::npos);
  auto none = run_keel({});
  CHECK(none.code == 0);
  CHECK(none.out == app.out);
  for (const char* cmd :
       {"checkpoint", "create", "delete", "events", "exec", "features", "kill", "list", "pause",
        "plugins", "ps", "restore", "resume", "run", "spec", "start", "state", "update"}) {
    auto r = run_keel({cmd, "--help"});
    CHECK_MESSAGE(r.code == 0, cmd);
    CHECK_MESSAGE(r.out.starts_with(std::string("NAME:\n   keel ") + cmd + " - "), cmd);
    CHECK(r.err.empty());
  }
}

TEST_CASE("--version under the keel name and under a runc symlink") {
  auto k = run_keel({"--version"});
  CHECK(k.code == 0);
  CHECK(k.out.starts_with("keel version 0.1.0\ncommit: "));
  CHECK(k.out.find("\nspec: 1.3.0\n") != std::string::npos);
  TempDir dir;
  std::string runc = dir.path + "/runc";
  std::filesystem::create_symlink(KEEL_BINARY, runc);
  auto r = run_program(runc, {"-v"});
  CHECK(r.code == 0);
  CHECK(r.out.starts_with("runc version 1.3.0\ncommit: keel-"));
  CHECK(r.out.find("\nspec: 1.3.0\ngo: none\n") != std::string::npos);
  auto help = run_program(runc, {"--help"});
  CHECK(help.out.find("USAGE:\n   runc [global options]") != std::string::npos);
  auto usage = run_program(runc, {"state"});
  CHECK(usage.err.find(runc + ": \\\"state\\\" requires exactly 1 argument(s)") !=
        std::string::npos);
}

TEST_CASE("a bad container id is refused before anything reaches the disk") {
  TempDir dir;
  std::string root = dir.path + "/root";
  for (const char* id : {"a/b", "..", "../escape", "with space"}) {
    auto r = run_keel({"--root", root, "create", "--bundle", dir.path, id});
    CHECK_MESSAGE(r.code == 1, id);
    CHECK(r.err.find("invalid container ID format") != std::string::npos);
  }
  CHECK(!std::filesystem::exists(root));
  CHECK(!std::filesystem::exists(dir.path + "/escape"));
}

TEST_CASE("kill refuses an unknown signal name") {
  TempDir dir;
  auto r = run_keel({"--root", dir.path, "kill", "c1", "SIGBOGUS"});
  CHECK(r.code == 1);
  CHECK(r.err.find("unknown signal \\\"SIGBOGUS\\\"") != std::string::npos);
}

TEST_CASE("a bad --log-format value is one error line, without usage text") {
  TempDir dir;
  auto r = run_keel({"--log-format", "xml", "--root", dir.path, "list"});
  CHECK(r.code == 1);
  CHECK(r.out.empty());
  CHECK(r.err.find("msg=\"invalid log-format: xml\"") != std::string::npos);
}
