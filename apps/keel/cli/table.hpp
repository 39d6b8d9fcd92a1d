// Go's text/tabwriter as runc uses it (minwidth, padding, ' ' fill): every column but the last
// is as wide as its widest cell plus padding, and at least minwidth.
#pragma once

#include <string>
#include <vector>

namespace keel::cli {

std::string tabwriter(const std::vector<std::vector<std::string>>& rows, std::size_t minwidth,
                      std::size_t padding);

}  // namespace keel::cli
