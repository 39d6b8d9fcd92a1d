// PluginHost::load_file: each refusal is an error naming the file and the reason.
#include <doctest/doctest.h>

#include "keel/plugins.hpp"
#include "support.hpp"

using keel::PluginHost;

namespace {

// The refusal message for test plugin `name` installed as root 0644 in a fresh dir.
std::string refusal(const std::string& name, const std::string& options = "{}") {
  static TempDir dir;  // refused libraries stay loaded: keep their files for the whole run
  std::string path = install_plugin(name, dir.path());
  auto d = PluginHost::load_file(path, options);
  REQUIRE_FALSE(d);
  std::string msg = d.error().message;
  CHECK(msg.find(path) != std::string::npos);  // every refusal names the file
  return msg.replace(msg.find(path), path.size(), "/x/libkeel-" + name + ".so");
}

}  // namespace

TEST_CASE("a root-owned 0644 plugin made with the SDK loads and describes itself") {
  auto d = PluginHost::load_file(good_plugins() / "libkeel-testcg.so");
  REQUIRE(d);
  CHECK(std::string((*d)->name) == "testcg");
  CHECK(std::string((*d)->version) == "1.2.3");
  CHECK((*d)->kind == KEEL_PLUGIN_CGROUP_MANAGER);
  CHECK((*d)->abi_major == KEEL_PLUGIN_ABI_MAJOR);
  // Loading the same file again returns the same descriptor (never unloaded, never re-inited).
  auto again = PluginHost::load_file(good_plugins() / "libkeel-testcg.so");
  REQUIRE(again);
  CHECK(*again == *d);
}

TEST_CASE("ownership and mode are checked: group/other writable or non-root files are refused") {
  TempDir dir;
  std::string path = install_plugin("modetest", dir.path(), 0664);
  auto d = PluginHost::load_file(path);
  REQUIRE_FALSE(d);
  CHECK(d.error().code == EPERM);
  CHECK(d.error().message ==
        "plugin " + path + ": writable by group or others (mode 0664), must not be");

  REQUIRE(::chmod(path.c_str(), 0646) == 0);
  d = PluginHost::load_file(path);
  REQUIRE_FALSE(d);
  CHECK(d.error().message ==
        "plugin " + path + ": writable by group or others (mode 0646), must not be");

  REQUIRE(::chmod(path.c_str(), 0644) == 0);
  REQUIRE(::chown(path.c_str(), 1, 0) == 0);
  d = PluginHost::load_file(path);
  REQUIRE_FALSE(d);
  CHECK(d.error().message == "plugin " + path + ": owned by uid 1, must be owned by root");

  REQUIRE(::chown(path.c_str(), 0, 0) == 0);
  REQUIRE(::chmod(path.c_str(), 0644) == 0);  // chown clears nothing here, but be explicit
  d = PluginHost::load_file(path);
  REQUIRE(d);
  CHECK(std::string((*d)->name) == "modetest");

  // Once loaded, a later weakening of the file is still caught before the cached answer.
  REQUIRE(::chmod(path.c_str(), 0666) == 0);
  CHECK_FALSE(PluginHost::load_file(path));
  REQUIRE(::chmod(path.c_str(), 0644) == 0);
}

TEST_CASE("a directory, a missing file and a relative path are refused") {
  TempDir dir;
  auto d = PluginHost::load_file(dir.path());
  REQUIRE_FALSE(d);
  CHECK(d.error().message == "plugin " + dir.path() + ": not a regular file");

  d = PluginHost::load_file(dir / "libkeel-none.so");
  REQUIRE_FALSE(d);
  CHECK(d.error().code == ENOENT);
  CHECK(d.error().message ==
        "plugin " + (dir / "libkeel-none.so") + ": opening: No such file or directory");

  d = PluginHost::load_file("libkeel-testcg.so");
  REQUIRE_FALSE(d);
  CHECK(d.error().message == "plugin libkeel-testcg.so: relative plugin paths are refused");
}

TEST_CASE("a library without keel_plugin_entry is refused") {
  CHECK(refusal("noentry") ==
        "plugin /x/libkeel-noentry.so: no entry point keel_plugin_entry, not a keel plugin");
}

TEST_CASE("an entry point returning NULL is refused") {
  CHECK(refusal("nullentry") ==
        "plugin /x/libkeel-nullentry.so: keel_plugin_entry returned NULL: it cannot serve "
        "plugin ABI 1.0");
}

TEST_CASE("a descriptor with bad magic is refused") {
  CHECK(refusal("badmagic") ==
        "plugin /x/libkeel-badmagic.so: bad magic 0xdeadbeef in its descriptor, not a keel "
        "plugin");
}

TEST_CASE("a plugin of another ABI major is refused, naming both ABIs") {
  CHECK(refusal("abi2") == "plugin /x/libkeel-abi2.so speaks plugin ABI 2.0, keel speaks 1.0");
}

TEST_CASE("an unknown kind is refused") {
  CHECK(refusal("unknownkind") ==
        "plugin /x/libkeel-unknownkind.so: unknown plugin kind 99 (plugin \"unknownkind\")");
}

TEST_CASE("a NULL or too small operations table is refused") {
  CHECK(refusal("nullops") == "plugin /x/libkeel-nullops.so: operations table is NULL");
  CHECK(refusal("smallops") ==
        "plugin /x/libkeel-smallops.so: labeler table is 8 bytes, keel "
        "needs at least " +
            std::to_string(sizeof(keel_labeler_ops)));
}

TEST_CASE("an init that fails makes the load fail with the plugin's reason") {
  CHECK(refusal("initfails") == "plugin /x/libkeel-initfails.so: init: missing option \"profile\"");
}

TEST_CASE("a file that is not a shared object is refused with the dynamic loader's reason") {
  TempDir dir;
  write_text(dir / "libkeel-junk.so", std::string(200, 'x'));
  auto d = PluginHost::load_file(dir / "libkeel-junk.so");
  REQUIRE_FALSE(d);
  CHECK(d.error().code == ENOEXEC);
  INFO(d.error().message);
  CHECK(d.error().message ==
        "plugin " + (dir / "libkeel-junk.so") + ": loading: invalid ELF header");
}
