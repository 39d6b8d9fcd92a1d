#include "json_reader.hpp"

#include <limits>

namespace keel::spec::detail {

std::string Reader::path() const {
  std::string p;
  for (const auto& s : segs_) {
    switch (s.kind) {
      case Kind::key:
        if (!p.empty()) p += '.';
        p += s.name;
        break;
      case Kind::index:
        p += '[' + std::to_string(s.index) + ']';
        break;
      case Kind::map_key:
        p += '[' + quote(s.name) + ']';
        break;
    }
  }
  return p;
}

std::unexpected<Error> Reader::fail(std::string_view message) const {
  std::string m = doc_ + ": ";
  if (!segs_.empty()) m += path() + ": ";
  m += message;
  return std::unexpected(Error{EINVAL, std::move(m)});
}

const Value* find(const Value& obj, const char* name) {
  if (!obj.IsObject()) return nullptr;
  // The last of duplicated keys wins, as with Go's encoding/json.
  const std::string_view want(name);
  const Value* found = nullptr;
  for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
    if (std::string_view(it->name.GetString(), it->name.GetStringLength()) == want)
      found = &it->value;
  }
  return found && !found->IsNull() ? found : nullptr;
}

Status expect_object(Reader& r, const Value& v) {
  if (!v.IsObject()) return r.fail("expected an object");
  return {};
}

Status get(Reader& r, const Value& v, std::string& out) {
  if (!v.IsString()) return r.fail("expected a string");
  std::string_view s(v.GetString(), v.GetStringLength());
  // Every string ends up as a C string (paths, argv, env, mount data): a NUL would truncate it.
  if (s.find('\0') != std::string_view::npos) return r.fail("string contains a null byte");
  out.assign(s);
  return {};
}

Status get(Reader& r, const Value& v, bool& out) {
  if (!v.IsBool()) return r.fail("expected a boolean");
  out = v.GetBool();
  return {};
}

Status get(Reader& r, const Value& v, int32_t& out) {
  if (!v.IsInt()) return r.fail("expected a 32-bit integer");
  out = v.GetInt();
  return {};
}

Status get(Reader& r, const Value& v, int64_t& out) {
  if (!v.IsInt64()) return r.fail("expected a 64-bit integer");
  out = v.GetInt64();
  return {};
}

Status get(Reader& r, const Value& v, uint16_t& out) {
  if (!v.IsUint() || v.GetUint() > std::numeric_limits<uint16_t>::max())
    return r.fail("expected an unsigned 16-bit integer");
  out = static_cast<uint16_t>(v.GetUint());
  return {};
}

Status get(Reader& r, const Value& v, uint32_t& out) {
  if (!v.IsUint()) return r.fail("expected an unsigned 32-bit integer");
  out = v.GetUint();
  return {};
}

Status get(Reader& r, const Value& v, uint64_t& out) {
  if (!v.IsUint64()) return r.fail("expected an unsigned 64-bit integer");
  out = v.GetUint64();
  return {};
}

Status get(Reader& r, const Value& v, std::map<std::string, std::string>& out) {
  if (!v.IsObject()) return r.fail("expected an object");
  out.clear();
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    std::string_view k(it->name.GetString(), it->name.GetStringLength());
    auto seg = r.map_key(k);
    std::string value;
    KEEL_TRY(get(r, it->value, value));
    out.insert_or_assign(std::string(k), std::move(value));
  }
  return {};
}

std::string quote(std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  // Error messages stay readable even for a megabyte-long bogus value.
  constexpr std::size_t kMax = 200;
  const bool cut = s.size() > kMax;
  if (cut) s = s.substr(0, kMax);
  std::string q = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      q += '\\';
      q += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      q += "\\x";
      q += hex[c >> 4];
      q += hex[c & 0xf];
    } else {
      q += static_cast<char>(c);
    }
  }
  q += '"';
  if (cut) q += "...";
  return q;
}

}  // namespace keel::spec::detail
