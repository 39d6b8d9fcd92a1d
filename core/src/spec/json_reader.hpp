// Typed, path-tracking access to a RapidJSON DOM. Every getter checks the JSON type before any
// RapidJSON Get* call (RapidJSON asserts on a wrong type), so malformed input can only produce a
// keel::Error naming the JSON path, e.g. "config.json: linux.namespaces[2].type: expected a
// string".
#pragma once

#include <rapidjson/document.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "keel/error.hpp"

// Propagates the error of a Result<void>-returning expression.
#define KEEL_TRY(expr)                                        \
  do {                                                        \
    if (auto keel_try_r_ = (expr); !keel_try_r_)              \
      return std::unexpected(std::move(keel_try_r_).error()); \
  } while (0)

namespace keel::spec::detail {

using Value = rapidjson::Value;
using Status = Result<void>;

// The path of the value being read, kept as a stack of segments and rendered only for errors.
class Reader {
 public:
  explicit Reader(std::string doc_name) : doc_(std::move(doc_name)) {}

  // Pops the segment pushed by key()/index()/map_key() when it goes out of scope.
  class [[nodiscard]] Seg {
   public:
    explicit Seg(Reader& r) : r_(r) {}
    Seg(const Seg&) = delete;
    Seg& operator=(const Seg&) = delete;
    ~Seg() { r_.segs_.pop_back(); }

   private:
    Reader& r_;
  };

  Seg key(std::string_view k) { return push({Kind::key, k, 0}); }
  Seg index(std::size_t i) { return push({Kind::index, {}, i}); }
  Seg map_key(std::string_view k) { return push({Kind::map_key, k, 0}); }

  // "process.args[0]"; empty at the document root.
  std::string path() const;
  // "<doc>: <path>: <message>".
  std::unexpected<Error> fail(std::string_view message) const;
  const std::string& doc() const { return doc_; }

 private:
  enum class Kind { key, index, map_key };
  struct Segment {
    Kind kind;
    std::string_view name;
    std::size_t index;
  };
  Seg push(Segment s) {
    segs_.push_back(s);
    return Seg(*this);
  }

  std::string doc_;
  std::vector<Segment> segs_;
};

// The member `name` of an object, or nullptr when it is absent or JSON null (Go leaves the field
// at its zero value in both cases).
const Value* find(const Value& obj, const char* name);

// Converters for the value at the reader's current path.
Status get(Reader& r, const Value& v, std::string& out);
Status get(Reader& r, const Value& v, bool& out);
Status get(Reader& r, const Value& v, int32_t& out);
Status get(Reader& r, const Value& v, int64_t& out);
Status get(Reader& r, const Value& v, uint16_t& out);
Status get(Reader& r, const Value& v, uint32_t& out);
Status get(Reader& r, const Value& v, uint64_t& out);
Status get(Reader& r, const Value& v, std::map<std::string, std::string>& out);

Status expect_object(Reader& r, const Value& v);

template <class T>
Status get(Reader& r, const Value& v, std::optional<T>& out) {
  T t{};
  KEEL_TRY(get(r, v, t));
  out = std::move(t);
  return {};
}

template <class T>
Status get(Reader& r, const Value& v, std::vector<T>& out) {
  if (!v.IsArray()) return r.fail("expected an array");
  out.clear();
  out.reserve(v.Size());
  for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
    auto seg = r.index(i);
    T t{};
    KEEL_TRY(get(r, v[i], t));
    out.push_back(std::move(t));
  }
  return {};
}

// A map whose values are objects ("rdma", "timeOffsets", "netDevices").
template <class T>
Status get(Reader& r, const Value& v, std::map<std::string, T>& out) {
  if (!v.IsObject()) return r.fail("expected an object");
  out.clear();
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    std::string_view k(it->name.GetString(), it->name.GetStringLength());
    auto seg = r.map_key(k);
    T t{};
    KEEL_TRY(get(r, it->value, t));
    out.insert_or_assign(std::string(k), std::move(t));
  }
  return {};
}

// Reads obj[name] into out when present; leaves out untouched when absent or null.
template <class T>
Status field(Reader& r, const Value& obj, const char* name, T& out) {
  const Value* v = find(obj, name);
  if (!v) return {};
  auto seg = r.key(name);
  return get(r, *v, out);
}

// Like field() but obj[name] must be present and not null.
template <class T>
Status required(Reader& r, const Value& obj, const char* name, T& out) {
  const Value* v = find(obj, name);
  auto seg = r.key(name);
  if (!v) return r.fail("missing required field");
  return get(r, *v, out);
}

// Quotes a string the way Go's %q does for printable ASCII: "CAP_FOO".
std::string quote(std::string_view s);

}  // namespace keel::spec::detail
