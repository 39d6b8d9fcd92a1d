#include <doctest/doctest.h>

#include "keel/cgroup/convert.hpp"

using namespace keel::cgroup;

TEST_CASE("cpu shares convert to cpu.weight with runc's formula") {
  CHECK(shares_to_weight(0) == 0);
  CHECK(shares_to_weight(2) == 1);
  CHECK(shares_to_weight(1024) == 39);
  CHECK(shares_to_weight(262144) == 10000);
}

TEST_CASE("blkio weight converts to io.weight") {
  CHECK(blkio_weight_to_io_weight(10) == 1);
  CHECK(blkio_weight_to_io_weight(500) == 4950);
  CHECK(blkio_weight_to_io_weight(1000) == 10000);
}

TEST_CASE("memory+swap converts to memory.swap.max as swap minus memory") {
  CHECK(*swap_to_v2(2048, 1024) == "1024");
  CHECK(*swap_to_v2(0, -1) == "max");
  CHECK(*swap_to_v2(-1, 1024) == "max");
  CHECK(swap_to_v2(0, 1024)->empty());
  CHECK_FALSE(swap_to_v2(512, 1024));  // swap below memory
  CHECK_FALSE(swap_to_v2(512, 0));     // swap without a memory limit
  CHECK(limit_to_v2(-1) == "max");
  CHECK(limit_to_v2(5) == "5");
}
