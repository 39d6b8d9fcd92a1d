// keel.json and keel.d drop-ins: defaults, merge order, and a message for every malformed case.
#include <doctest/doctest.h>
#include <stdlib.h>

#include "keel/plugins.hpp"
#include "support.hpp"

using keel::load_plugin_config;
using keel::load_plugin_config_file;

namespace {

// The error message from loading `text` as <tmp>/keel.json.
std::string error_for(const std::string& text) {
  TempDir dir;
  write_text(dir / "keel.json", text);
  auto cfg = load_plugin_config_file(dir / "keel.json", true);
  REQUIRE_FALSE(cfg);
  // Name the file without the random temp dir so the assertions read like the real message.
  std::string msg = cfg.error().message;
  auto at = msg.find(dir.path());
  if (at != std::string::npos) msg.replace(at, dir.path().size(), "/etc/keel");
  return msg;
}

}  // namespace

TEST_CASE("a missing default config file means the built-in defaults") {
  TempDir dir;
  auto cfg = load_plugin_config_file(dir / "keel.json", false);
  REQUIRE(cfg);
  CHECK(cfg->plugin_dirs.empty());
  CHECK(cfg->cgroup_manager == "cgroupfs");
  CHECK(cfg->systemd_cgroup_manager == "systemd");
  CHECK(cfg->syscall_filter == "seccomp");
  CHECK(cfg->labelers == std::vector<std::string>{"apparmor", "selinux"});
  CHECK(cfg->checkpointer == "criu");
  CHECK(cfg->files_read.empty());
}

TEST_CASE("without KEEL_CONFIG and without /etc/keel/keel.json the defaults apply") {
  if (fs::exists("/etc/keel")) return;  // a machine with a real config: nothing to check here
  ::unsetenv("KEEL_CONFIG");
  auto cfg = load_plugin_config();
  REQUIRE(cfg);
  CHECK(cfg->cgroup_manager == "cgroupfs");
}

TEST_CASE("KEEL_CONFIG naming a missing file is an error naming the file") {
  TempDir dir;
  ::setenv("KEEL_CONFIG", (dir / "nope.json").c_str(), 1);
  auto cfg = load_plugin_config();
  ::unsetenv("KEEL_CONFIG");
  REQUIRE_FALSE(cfg);
  CHECK(cfg.error().code == ENOENT);
  CHECK(cfg.error().message == "KEEL_CONFIG names a missing file: reading " + (dir / "nope.json") +
                                   ": No such file or directory");
}

TEST_CASE("KEEL_CONFIG selects the file and its keel.d drop-ins") {
  TempDir dir;
  write_text(dir / "keel.json", R"({"cgroupManager":"mine","pluginDirs":["/opt/a"]})");
  write_text(dir / "keel.d/10-vendor.json",
             R"({"plugins":{"vendorcg":{"path":"/opt/vendor/libkeel-vendorcg.so",
                 "options":{"level": 3, "names": ["x"]}}}})");
  ::setenv("KEEL_CONFIG", (dir / "keel.json").c_str(), 1);
  auto cfg = load_plugin_config();
  ::unsetenv("KEEL_CONFIG");
  REQUIRE(cfg);
  CHECK(cfg->cgroup_manager == "mine");
  CHECK(cfg->plugin_dirs == std::vector<std::string>{"/opt/a"});
  CHECK(cfg->explicit_paths.at("vendorcg") == "/opt/vendor/libkeel-vendorcg.so");
  CHECK(cfg->options_json.at("vendorcg") == R"({"level":3,"names":["x"]})");
  CHECK(cfg->files_read ==
        std::vector<std::string>{dir / "keel.json", dir / "keel.d/10-vendor.json"});
}

TEST_CASE("drop-ins apply in name order, later ones winning, even without a main file") {
  TempDir dir;
  write_text(dir / "keel.d/20-b.json",
             R"({"cgroupManager":"second","pluginDirs":["/b","/a"],"labelers":["selinux"],
                 "plugins":{"x":{"options":{"v":2}}}})");
  write_text(dir / "keel.d/10-a.json",
             R"({"cgroupManager":"first","pluginDirs":["/a"],"syscallFilter":"",
                 "plugins":{"x":{"path":"/x.so","options":{"v":1}}}})");
  write_text(dir / "keel.d/README", "not json, not read");
  write_text(dir / "keel.d/.hidden.json", "{broken");
  auto cfg = load_plugin_config_file(dir / "keel.json", false);
  REQUIRE(cfg);
  CHECK(cfg->cgroup_manager == "second");
  CHECK(cfg->plugin_dirs == std::vector<std::string>{"/a", "/b"});  // appended, no repeats
  CHECK(cfg->labelers == std::vector<std::string>{"selinux"});      // replaced
  CHECK(cfg->syscall_filter.empty());                               // "" switches it off
  CHECK(cfg->explicit_paths.at("x") == "/x.so");                    // kept from 10-a
  CHECK(cfg->options_json.at("x") == R"({"v":2})");                 // replaced by 20-b
  CHECK(cfg->files_read.size() == 2);
}

TEST_CASE("a malformed drop-in is an error naming that drop-in") {
  TempDir dir;
  write_text(dir / "keel.json", "{}");
  write_text(dir / "keel.d/50-bad.json", R"({"labelers":"apparmor"})");
  auto cfg = load_plugin_config_file(dir / "keel.json", true);
  REQUIRE_FALSE(cfg);
  CHECK(cfg.error().message ==
        (dir / "keel.d/50-bad.json") + ": labelers: expected an array of plugin names");
}

TEST_CASE("a JSON syntax error names the file, line and column") {
  CHECK(error_for("{\n  \"cgroupManager\": \"x\"\n  \"labelers\": []\n}") ==
        "/etc/keel/keel.json: line 3 column 3: missing a comma or '}' after an object member");
  CHECK(error_for("") == "/etc/keel/keel.json: line 1 column 1: the document is empty");
  CHECK(error_for("[]") == "/etc/keel/keel.json: expected a JSON object at the top level");
}

TEST_CASE("each malformed field is an error naming the field and what was expected") {
  CHECK(error_for(R"({"pluginDirs":["/ok", 3]})") ==
        "/etc/keel/keel.json: pluginDirs[1]: expected a string");
  CHECK(error_for(R"({"pluginDirs":"/ok"})") ==
        "/etc/keel/keel.json: pluginDirs: expected an array of absolute paths");
  CHECK(error_for(R"({"pluginDirs":["lib/keel"]})") ==
        "/etc/keel/keel.json: pluginDirs[0]: expected an absolute path, got \"lib/keel\"");
  CHECK(error_for(R"({"cgroupManager":7})") ==
        "/etc/keel/keel.json: cgroupManager: expected a string");
  CHECK(error_for(R"({"cgroupManager":"../evil"})") ==
        "/etc/keel/keel.json: cgroupManager: expected a plugin name (letters, digits, '-', '_', "
        "'.'), got \"../evil\"");
  CHECK(error_for(R"({"cgroupManager":""})") ==
        "/etc/keel/keel.json: cgroupManager: expected a plugin name (letters, digits, '-', '_', "
        "'.'), got \"\"");
  CHECK(error_for(R"({"labelers":["apparmor", null]})") ==
        "/etc/keel/keel.json: labelers[1]: expected a string");
  CHECK(error_for(R"({"plugins":[]})") ==
        "/etc/keel/keel.json: plugins: expected an object of plugin name -> settings");
  CHECK(error_for(R"({"plugins":{"x":"/x.so"}})") ==
        "/etc/keel/keel.json: plugins.x: expected an object with \"path\" and/or \"options\"");
  CHECK(error_for(R"({"plugins":{"x":{"options":[1]}}})") ==
        "/etc/keel/keel.json: plugins.x.options: expected an object");
  CHECK(error_for(R"({"plugins":{"x":{"paht":"/x.so"}}})") ==
        "/etc/keel/keel.json: plugins.x: unknown key \"paht\" (known keys: path, options)");
  CHECK(error_for(R"({"plugins":{"a/b":{}}})") ==
        "/etc/keel/keel.json: plugins.a/b: expected a plugin name (letters, digits, '-', '_', "
        "'.') as the key");
}

TEST_CASE("a relative plugin path is refused") {
  CHECK(error_for(R"({"plugins":{"x":{"path":"libkeel-x.so"}}})") ==
        "/etc/keel/keel.json: plugins.x.path: expected an absolute path, got \"libkeel-x.so\"");
}

TEST_CASE("an unknown top-level key is refused with the list of known keys") {
  CHECK(error_for(R"({"pluginDir":["/x"]})") ==
        "/etc/keel/keel.json: unknown key \"pluginDir\" (known keys: pluginDirs, cgroupManager, "
        "systemdCgroupManager, syscallFilter, labelers, checkpointer, plugins)");
}
