#include "cli/table.hpp"

#include <doctest/doctest.h>

TEST_CASE("list's table is aligned like runc's tabwriter (minwidth 12, padding 3)") {
  CHECK(keel::cli::tabwriter({{"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"}}, 12, 3) ==
        "ID          PID         STATUS      BUNDLE      CREATED     OWNER\n");
  CHECK(keel::cli::tabwriter({{"ID", "PID", "OWNER"}, {"a-very-long-id", "1", "root"}}, 12, 3) ==
        "ID               PID         OWNER\n"
        "a-very-long-id   1           root\n");
}
