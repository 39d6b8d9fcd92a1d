// PluginHost::discover: every libkeel-*.so in every dir and explicit path, each one reported.
#include <doctest/doctest.h>

#include "keel/plugins.hpp"
#include "support.hpp"

using keel::PluginConfig;
using keel::PluginHost;

TEST_CASE("discover reports every plugin file; of two claiming one name the second is refused") {
  TempDir dir;
  std::string a = install_plugin("twin-a", dir.path());
  std::string b = install_plugin("twin-b", dir.path());
  std::string bad = install_plugin("abi2", dir.path());
  write_text(dir / "libkeel-notes.txt", "ignored: not a plugin file name");
  PluginConfig cfg;
  cfg.plugin_dirs = {dir.path(), "/nonexistent/keel"};
  cfg.explicit_paths["testfilter"] = good_plugins() / "libkeel-testfilter.so";
  auto infos = PluginHost(cfg).discover();
  REQUIRE(infos.size() == 4);

  CHECK(infos[0].name == "testfilter");  // explicit paths first
  CHECK(infos[0].kind == "syscall-filter");
  CHECK(infos[0].loaded);

  CHECK(infos[1].path == bad);
  CHECK(infos[1].name == "abi2");  // from the file name: the handshake was refused
  CHECK_FALSE(infos[1].loaded);
  CHECK(infos[1].error == "plugin " + bad + " speaks plugin ABI 2.0, keel speaks 1.0");

  CHECK(infos[2].path == a);
  CHECK(infos[2].name == "twin");
  CHECK(infos[2].kind == "cgroup-manager");
  CHECK(infos[2].version == "a");
  CHECK(infos[2].abi == "1.0");
  CHECK(infos[2].loaded);
  CHECK(infos[2].error.empty());

  CHECK(infos[3].path == b);
  CHECK(infos[3].name == "twin");
  CHECK(infos[3].version == "b");
  CHECK_FALSE(infos[3].loaded);
  CHECK(infos[3].error == "plugin " + b + ": plugin name \"twin\" already provided by " + a);

  // The same refusal when the second file is asked for directly.
  auto direct = PluginHost::load_file(b);
  REQUIRE_FALSE(direct);
  CHECK(direct.error().code == EEXIST);
  CHECK(direct.error().message == infos[3].error);
}
