// go-units sizes and Go durations, as runc's flags read them.
#include <doctest/doctest.h>

#include "keel/manage.hpp"

using keel::manage::parse_go_duration;
using keel::manage::ram_in_bytes;
using namespace std::chrono_literals;

TEST_CASE("ram_in_bytes reads go-units binary sizes") {
  CHECK(ram_in_bytes("64m").value() == 64 << 20);
  CHECK(ram_in_bytes("64M").value() == 64 << 20);
  CHECK(ram_in_bytes("64MB").value() == 64 << 20);
  CHECK(ram_in_bytes("64mib").value() == 64 << 20);
  CHECK(ram_in_bytes("1g").value() == 1LL << 30);
  CHECK(ram_in_bytes("2t").value() == 2LL << 40);
  CHECK(ram_in_bytes("512 k").value() == 512 << 10);
  CHECK(ram_in_bytes("100").value() == 100);
  CHECK(ram_in_bytes("100b").value() == 100);
  CHECK(ram_in_bytes("1.5k").value() == 1536);
}

TEST_CASE("ram_in_bytes rejects what go-units rejects, with its wording") {
  for (const char* bad : {"abc", "", "-1", "12x", "m", "1  m", "1.m", "1kk"}) {
    auto r = ram_in_bytes(bad);
    REQUIRE_FALSE_MESSAGE(r.has_value(), bad);
    CHECK(r.error().message == "invalid size: '" + std::string(bad) + "'");
  }
  CHECK(ram_in_bytes("1.2.3").error().message ==
        "strconv.ParseFloat: parsing \"1.2.3\": invalid syntax");
}

TEST_CASE("parse_go_duration reads Go's time.ParseDuration syntax") {
  CHECK(parse_go_duration("5s").value() == 5s);
  CHECK(parse_go_duration("500ms").value() == 500ms);
  CHECK(parse_go_duration("1m").value() == 1min);
  CHECK(parse_go_duration("1m30s").value() == 90s);
  CHECK(parse_go_duration("1.5h").value() == 90min);
  CHECK(parse_go_duration("10us").value() == 10us);
  CHECK(parse_go_duration("10\u00b5s").value() == 10us);
  CHECK(parse_go_duration("7ns").value() == 7ns);
  CHECK(parse_go_duration("0").value() == 0ns);
  CHECK(parse_go_duration("-2s").value() == -2s);
}

TEST_CASE("parse_go_duration errors name the duration like Go") {
  CHECK(parse_go_duration("abc").error().message == "time: invalid duration \"abc\"");
  CHECK(parse_go_duration("").error().message == "time: invalid duration \"\"");
  CHECK(parse_go_duration("5").error().message == "time: missing unit in duration \"5\"");
  CHECK(parse_go_duration("5x").error().message == "time: unknown unit \"x\" in duration \"5x\"");
}
