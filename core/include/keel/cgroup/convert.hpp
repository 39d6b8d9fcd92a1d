// runc's v1 -> v2 value conversions, so a spec written for v1 means the same on v2.
#pragma once

#include <cstdint>
#include <string>

#include "keel/error.hpp"

namespace keel::cgroup {

// cpu.shares [2, 262144] -> cpu.weight [1, 10000]; 0 stays 0 (unset).
uint64_t shares_to_weight(uint64_t shares);
// blkio.weight [10, 1000] -> io.weight [1, 10000]; 0 stays 0.
uint64_t blkio_weight_to_io_weight(uint64_t weight);
// memory.memsw (memory+swap) -> memory.swap.max (swap only). Returns "" when swap is unset.
// -1 means unlimited ("max").
Result<std::string> swap_to_v2(int64_t swap, int64_t memory);
// "-1" -> "max", others verbatim; used for v2 limits.
std::string limit_to_v2(int64_t v);

}  // namespace keel::cgroup
