#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "keel/log.hpp"

// The facade is process-global and opens its backend once, so one test covers it: whichever
// backend loads (libkeel-log.so beside the build's bin/, or the built-in writer), the file gets
// the same lines.
TEST_CASE("the log facade appends one JSON line per message and drops debug without --debug") {
  char tmpl[] = "/tmp/keel-log-test-XXXXXX";
  std::string dir = ::mkdtemp(tmpl);
  std::string path = dir + "/log.json";
  { std::ofstream(path) << "{\"level\":\"info\",\"msg\":\"earlier\",\"time\":\"x\"}\n"; }
  keel::log::configure(path, keel::log::Format::json, false);
  CHECK(!keel::log::writes_to_stderr());
  CHECK(!keel::log::debug_enabled());
  keel::log::debug("not shown");
  keel::log::warning("careful");
  keel::log::error("it broke: \"really\"");
  std::ifstream in(path);
  std::stringstream all;
  all << in.rdbuf();
  std::string text = all.str();
  CHECK(text.starts_with("{\"level\":\"info\",\"msg\":\"earlier\""));
  CHECK(text.find("not shown") == std::string::npos);
  CHECK(text.find("{\"level\":\"warning\",\"msg\":\"careful\",\"time\":\"") != std::string::npos);
  auto last = text.rfind("{\"level\"");
  CHECK(text.substr(last).starts_with("{\"level\":\"error\",\"msg\":\"it broke: \\\"really\\\"\""));
  CHECK(text.back() == '\n');
  std::filesystem::remove_all(dir);
}
