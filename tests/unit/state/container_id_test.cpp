#include <doctest/doctest.h>

#include <string>

#include "keel/state.hpp"

TEST_CASE("container ids follow runc's rule") {
  for (std::string ok : {"a", "abc-123", "A_b.c+d", "..a", "a..", "0123456789abcdef0123456789"})
    CHECK_MESSAGE(keel::validate_container_id(ok).has_value(), ok);
  for (const char* bad : {"", ".", "..", "a/b", "/a", "a b", "a:b", "é", "a\nb", "a*"}) {
    auto r = keel::validate_container_id(bad);
    CHECK_MESSAGE(!r.has_value(), bad);
    if (!r) CHECK(r.error().message == std::string("invalid container ID format: ") + bad);
  }
}

TEST_CASE("a container id longer than a file name is refused") {
  CHECK(keel::validate_container_id(std::string(255, 'x')).has_value());
  CHECK(!keel::validate_container_id(std::string(256, 'x')).has_value());
}
