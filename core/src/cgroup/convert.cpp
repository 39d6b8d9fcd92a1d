// runc's conversions between v1 and v2 value ranges.
#include "keel/cgroup/convert.hpp"

namespace keel::cgroup {

uint64_t shares_to_weight(uint64_t shares) {
  if (shares == 0) return 0;
  if (shares < 2) shares = 2;
  if (shares > 262144) shares = 262144;
  return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t blkio_weight_to_io_weight(uint64_t weight) {
  if (weight == 0) return 0;
  if (weight < 10) weight = 10;
  return 1 + (weight - 10) * 9999 / 990;
}

Result<std::string> swap_to_v2(int64_t swap, int64_t memory) {
  // Unlimited memory with swap unset means both unlimited, as on v1.
  if (memory == -1 && swap == 0) return std::string("max");
  if (swap == -1) return std::string("max");
  if (swap == 0) return std::string();
  if (memory == 0 || memory == -1) return fail("unable to set swap limit without memory limit");
  if (memory < 0) return fail("invalid memory value: " + std::to_string(memory));
  if (swap < memory) return fail("memory+swap limit should be >= memory limit");
  return std::to_string(swap - memory);
}

std::string limit_to_v2(int64_t v) {
  return v < 0 ? std::string("max") : std::to_string(v);
}

}  // namespace keel::cgroup
