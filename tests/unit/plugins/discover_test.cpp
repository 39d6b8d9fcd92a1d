// PluginHost::discover: every libkeel-*.so in every dir and explicit path, each one reported.
#include <doctest/doctest.h>

#include "keel/plugins.hpp"
#include "support.hpp"

using keel::PluginConfig;
using keel::PluginHost;

TEST_CASE("discover reports every plugin file; of two claiming one name the second is refused") {
  TempDir vendor, dir;  // libkeel-twin.so in both: the vendor dir is searched first
  std::string a = install_plugin("twin-a", vendor.path(), 0644, 0, "twin");
  std::string b = install_plugin("twin-b", dir.path(), 0644, 0, "twin");
  std::string bad = install_plugin("abi2", dir.path());
  write_text(dir / "libkeel-notes.txt", "ignored: not a plugin file name");
  // The loaded testcg under another file name: found by that name, it would not answer to it.
  fs::create_hard_link(good_plugins() / "libkeel-testcg.so", dir / "libkeel-alias.so");
  PluginConfig cfg;
  cfg.plugin_dirs = {vendor.path(), dir.path(), "/nonexistent/keel"};
  cfg.explicit_paths["testfilter"] = good_plugins() / "libkeel-testfilter.so";
  auto infos = PluginHost(cfg).discover();
  // The default dir (<exe dir>/../lib/keel/plugins) holds the real plugins of this build: they
  // are reported too, last; this test is about the others.
  std::erase_if(infos, [](const keel::PluginInfo& i) {
    return i.path.starts_with(keel::default_plugin_dir() + "/");
  });
  REQUIRE(infos.size() == 5);

  CHECK(infos[0].name == "testfilter");  // explicit paths first
  CHECK(infos[0].kind == "syscall-filter");
  CHECK(infos[0].version == "2.0.0");
  CHECK(infos[0].loaded);

  CHECK(infos[1].path == a);
  CHECK(infos[1].name == "twin");
  CHECK(infos[1].kind == "cgroup-manager");
  CHECK(infos[1].version == "a");
  CHECK(infos[1].abi == "1.0");
  CHECK(infos[1].loaded);
  CHECK(infos[1].error.empty());

  CHECK(infos[2].path == bad);
  CHECK(infos[2].name == "abi2");  // from the file name: the handshake was refused
  CHECK(infos[2].kind.empty());
  CHECK_FALSE(infos[2].loaded);
  CHECK(infos[2].error == "plugin " + bad + " speaks plugin ABI 2.0, keel speaks 1.0");

  CHECK(infos[3].name == "testcg");
  CHECK_FALSE(infos[3].loaded);
  CHECK(infos[3].error ==
        "plugin " + (dir / "libkeel-alias.so") + " calls itself \"testcg\", expected \"alias\"");

  CHECK(infos[4].path == b);
  CHECK(infos[4].name == "twin");
  CHECK(infos[4].version == "b");
  CHECK_FALSE(infos[4].loaded);
  CHECK(infos[4].error == "plugin " + b + ": plugin name \"twin\" already provided by " + a);

  // The same refusal when the second file is asked for directly.
  auto direct = PluginHost::load_file(b);
  REQUIRE_FALSE(direct);
  CHECK(direct.error().code == EEXIST);
  CHECK(direct.error().message == infos[4].error);
}
