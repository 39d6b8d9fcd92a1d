// The keel_host given to init: a plugin's log messages reach keel::log, prefixed with its name.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "keel/log.hpp"
#include "keel/plugins.hpp"
#include "support.hpp"

TEST_CASE("a plugin's log message reaches keel's log prefixed with the plugin name") {
  TempDir dir;
  std::string log_file = dir / "keel.log";
  keel::log::configure(log_file, keel::log::Format::text, true);
  std::string path = install_plugin("logtest", dir.path());
  auto d = keel::PluginHost::load_file(path, "{}");
  REQUIRE(d);
  std::stringstream text;
  text << std::ifstream(log_file).rdbuf();
  INFO("log file: " << text.str());
  CHECK(text.str().find("level=debug msg=\"logtest: init with {}\"") != std::string::npos);
  keel::log::configure("", keel::log::Format::text, false);
}
