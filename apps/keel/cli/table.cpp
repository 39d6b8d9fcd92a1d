#include "cli/table.hpp"

#include <algorithm>

namespace keel::cli {

std::string tabwriter(const std::vector<std::vector<std::string>>& rows, std::size_t minwidth,
                      std::size_t padding) {
  std::vector<std::size_t> width;
  for (const auto& row : rows)
    for (std::size_t c = 0; c + 1 < row.size(); ++c) {
      if (width.size() <= c) width.resize(c + 1, minwidth);
      width[c] = std::max(width[c], row[c].size() + padding);
    }
  std::string out;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      out += row[c];
      if (c + 1 < row.size()) out.append(width[c] - row[c].size(), ' ');
    }
    out += "\n";
  }
  return out;
}

}  // namespace keel::cli
