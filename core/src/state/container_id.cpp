// Container id validation with runc's rule, so every id runc accepts keel accepts and no id can
// escape <root> (no "/", no "." or "..").
#include <string>

#include "keel/state.hpp"

namespace keel {
namespace {

// Go's \w is ASCII only: [0-9A-Za-z_]; runc adds '+', '-' and '.'.
bool allowed(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
         c == '+' || c == '-' || c == '.';
}

}  // namespace

Result<void> validate_container_id(std::string_view id) {
  constexpr std::size_t kMaxIdLength = 255;  // NAME_MAX: the id is a directory name
  bool ok = !id.empty() && id != "." && id != ".." && id.size() <= kMaxIdLength;
  for (char c : id) ok = ok && allowed(c);
  if (!ok) return fail("invalid container ID format: " + std::string(id));
  return {};
}

}  // namespace keel
