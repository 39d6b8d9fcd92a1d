// The fuzzers' comparison of two serialisations of the same document.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace keel::fuzz {

// `json` (as keel's writer prints it) with every number that has a fraction or an exponent
// replaced by "#". RapidJSON's default number parser may move a double by an ulp, so such a
// number (it only occurs in unknown fields kept verbatim: the runtime spec has no floating-point
// field) can change between round trips; its full-precision parser is not an option, it has
// undefined behaviour on inputs like 0e-91 (clz of 0). Everything else must be identical.
inline std::string without_floats(std::string_view json) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < json.size(); ++i) {
    char c = json[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < json.size())
        out += json[++i];
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    if (c != '-' && !std::isdigit(static_cast<unsigned char>(c))) {
      out += c;
      continue;
    }
    std::size_t end = json.find_first_not_of("0123456789+-.eE", i);
    if (end == std::string_view::npos) end = json.size();
    std::string_view number = json.substr(i, end - i);
    out += number.find_first_of(".eE") == std::string_view::npos ? std::string(number) : "#";
    i = end - 1;
  }
  return out;
}

}  // namespace keel::fuzz
