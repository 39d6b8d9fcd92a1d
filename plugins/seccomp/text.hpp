// String building for messages (g++ 12 has no <format>): cat("a", 1, "b") == "a1b".
#pragma once

#include <concepts>
#include <string>
#include <string_view>

namespace keel::seccomp {

inline void append(std::string& s, std::string_view v) {
  s.append(v);
}
inline void append(std::string& s, char c) {
  s.push_back(c);
}
template <std::integral I>
requires(!std::same_as<I, char> && !std::same_as<I, bool>) void append(std::string& s, I v) {
  s.append(std::to_string(v));
}

template <class... A>
std::string cat(const A&... a) {
  std::string s;
  (append(s, a), ...);
  return s;
}

}  // namespace keel::seccomp
