#include "log_format.hpp"

#include <doctest/doctest.h>

using keel::log::Format;
using keel::log::Level;

// 2026-11-27T22:10:00Z
constexpr std::time_t kT = 1795817400;

TEST_CASE("json log lines are logrus's: level, msg, time, one object per line") {
  CHECK(keel::log::format_line(Format::json, Level::error, "container does not exist", kT) ==
        "{\"level\":\"error\",\"msg\":\"container does not "
        "exist\",\"time\":\"2026-11-27T22:10:00Z\"}\n");
  CHECK(keel::log::format_line(Format::json, Level::warning, "a \"q\"\n<b>&\\", kT) ==
        "{\"level\":\"warning\",\"msg\":\"a \\\"q\\\"\\n\\u003cb\\u003e\\u0026\\\\\","
        "\"time\":\"2026-11-27T22:10:00Z\"}\n");
}

TEST_CASE("text log lines quote the message only when logrus would") {
  CHECK(keel::log::format_line(Format::text, Level::error, "container does not exist", kT) ==
        "time=\"2026-11-27T22:10:00Z\" level=error msg=\"container does not exist\"\n");
  CHECK(keel::log::format_line(Format::text, Level::debug, "plain-word", kT) ==
        "time=\"2026-11-27T22:10:00Z\" level=debug msg=plain-word\n");
  CHECK(keel::log::format_line(Format::text, Level::info, "say \"hi\"\tnow", kT) ==
        "time=\"2026-11-27T22:10:00Z\" level=info msg=\"say \\\"hi\\\"\\tnow\"\n");
}
