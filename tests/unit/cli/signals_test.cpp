#include "cli/signals.hpp"

#include <doctest/doctest.h>
#include <signal.h>

using keel::cli::parse_signal;

TEST_CASE("signals parse by name with or without SIG, any case, and by number") {
  CHECK(*parse_signal("TERM") == SIGTERM);
  CHECK(*parse_signal("SIGTERM") == SIGTERM);
  CHECK(*parse_signal("kill") == SIGKILL);
  CHECK(*parse_signal("sigusr1") == SIGUSR1);
  CHECK(*parse_signal("9") == 9);
  CHECK(*parse_signal("15") == 15);
  CHECK(*parse_signal("SIGWINCH") == SIGWINCH);
}

TEST_CASE("real-time signals parse relative to SIGRTMIN and SIGRTMAX") {
  CHECK(*parse_signal("SIGRTMIN") == SIGRTMIN);
  CHECK(*parse_signal("RTMIN+3") == SIGRTMIN + 3);
  CHECK(*parse_signal("SIGRTMAX-1") == SIGRTMAX - 1);
  CHECK(!parse_signal("SIGRTMAX+1").has_value());
}

TEST_CASE("unknown names and impossible numbers are refused") {
  auto bad = parse_signal("BOGUS");
  REQUIRE(!bad.has_value());
  CHECK(bad.error().message == "unknown signal \"BOGUS\"");
  CHECK(!parse_signal("0").has_value());
  CHECK(!parse_signal("-9").has_value());
  CHECK(!parse_signal("999").has_value());
  CHECK(!parse_signal("").has_value());
}
