// Splitting text without iostreams. A std::istringstream sets up libstdc++'s locale machinery
// on first use, which touches dozens of pages of code in keel (and again in each plugin, which
// has its own static libstdc++): measurable in the peak RSS of every `create`.
#pragma once

#include <string_view>
#include <vector>

namespace keel::text {

// The non-empty fields of `s` separated by any character of `separators`.
inline std::vector<std::string_view> fields(std::string_view s,
                                            std::string_view separators = " \t\n") {
  std::vector<std::string_view> out;
  size_t start = s.find_first_not_of(separators);
  while (start != std::string_view::npos) {
    size_t end = s.find_first_of(separators, start);
    out.push_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    start = end == std::string_view::npos ? end : s.find_first_not_of(separators, end);
  }
  return out;
}

// The lines of `s` without their '\n' (empty lines kept, no empty line after a final '\n').
inline std::vector<std::string_view> lines(std::string_view s) {
  std::vector<std::string_view> out;
  while (!s.empty()) {
    size_t end = s.find('\n');
    out.push_back(s.substr(0, end));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end + 1);
  }
  return out;
}

}  // namespace keel::text
