// Helpers shared by the spec unit tests.
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace keel::spec::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string fixture(const std::string& rel) {
  return std::string(KEEL_SOURCE_DIR) + "/tests/fixtures/" + rel;
}

}  // namespace keel::spec::test
