// `update`'s resources patch: runc's flags -> LinuxResources JSON, reduced to what runc applies,
// merged into the container's current resources.
#include <rapidjson/document.h>

#include <charconv>
#include <limits>

#include "json_util.hpp"
#include "keel/log.hpp"
#include "keel/manage.hpp"

namespace keel::manage {
namespace {

using rapidjson::Document;
using rapidjson::Value;

// Go's strconv wording: `strconv.ParseInt: parsing "x": invalid syntax`.
template <class T>
Result<T> go_parse(std::string_view text, const char* fn) {
  T v{};
  std::string_view digits = text;
  if (std::is_signed_v<T> && !digits.empty() && digits[0] == '+') digits.remove_prefix(1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
  std::string head = std::string("strconv.") + fn + ": parsing \"" + std::string(text) + "\": ";
  if (digits.empty() || ec == std::errc::invalid_argument || end != digits.data() + digits.size())
    return fail(head + "invalid syntax");
  if (ec == std::errc::result_out_of_range) return fail(head + "value out of range", ERANGE);
  return v;
}

Value& object_at(Document& doc, const char* key) {
  auto it = doc.FindMember(key);
  if (it == doc.MemberEnd()) {
    doc.AddMember(Value(key, doc.GetAllocator()), Value(rapidjson::kObjectType),
                  doc.GetAllocator());
    it = doc.FindMember(key);
  }
  return it->value;
}

void put(Document& doc, const char* section, const char* key, Value v) {
  object_at(doc, section).AddMember(Value(key, doc.GetAllocator()), v, doc.GetAllocator());
}

Result<void> memory_flags(const std::map<std::string, std::string>& flags, Document& doc) {
  static constexpr std::pair<const char*, const char*> kMemory[] = {
      {"memory", "limit"},
      {"memory-swap", "swap"},
      {"kernel-memory", "kernel"},
      {"kernel-memory-tcp", "kernelTCP"},
      {"memory-reservation", "reservation"},
  };
  for (auto [flag, key] : kMemory) {
    auto it = flags.find(flag);
    if (it == flags.end() || it->second.empty()) continue;
    int64_t v = -1;
    if (it->second != "-1") {
      auto parsed = ram_in_bytes(it->second);
      if (!parsed) return std::unexpected(parsed.error().context("invalid value for " + it->first));
      v = *parsed;
    }
    put(doc, "memory", key, Value(static_cast<int64_t>(v)));
  }
  return {};
}

Result<void> cpu_flags(const std::map<std::string, std::string>& flags, Document& doc) {
  auto& a = doc.GetAllocator();
  auto given = [&](const char* flag) -> const std::string* {
    auto it = flags.find(flag);
    return it == flags.end() || it->second.empty() ? nullptr : &it->second;
  };
  if (auto* v = given("cpuset-cpus")) put(doc, "cpu", "cpus", Value(v->c_str(), a));
  if (auto* v = given("cpuset-mems")) put(doc, "cpu", "mems", Value(v->c_str(), a));
  if (auto* v = given("cpu-idle")) {
    auto n = go_parse<int64_t>(*v, "ParseInt");
    if (!n) return std::unexpected(n.error().context("invalid value for cpu-idle"));
    put(doc, "cpu", "idle", Value(*n));
  }
  static constexpr std::pair<const char*, const char*> kUnsigned[] = {
      {"cpu-burst", "burst"},
      {"cpu-period", "period"},
      {"cpu-rt-period", "realtimePeriod"},
      {"cpu-share", "shares"},
  };
  for (auto [flag, key] : kUnsigned) {
    if (auto* v = given(flag)) {
      auto n = go_parse<uint64_t>(*v, "ParseUint");
      if (!n) return std::unexpected(n.error().context(std::string("invalid value for ") + flag));
      put(doc, "cpu", key, Value(static_cast<uint64_t>(*n)));
    }
  }
  static constexpr std::pair<const char*, const char*> kSigned[] = {
      {"cpu-quota", "quota"},
      {"cpu-rt-runtime", "realtimeRuntime"},
  };
  for (auto [flag, key] : kSigned) {
    if (auto* v = given(flag)) {
      auto n = go_parse<int64_t>(*v, "ParseInt");
      if (!n) return std::unexpected(n.error().context(std::string("invalid value for ") + flag));
      put(doc, "cpu", key, Value(static_cast<int64_t>(*n)));
    }
  }
  return {};
}

// The CLI already checked that integer flags are integers.
Result<void> integer_flags(const std::map<std::string, std::string>& flags, Document& doc) {
  if (auto it = flags.find("blkio-weight"); it != flags.end()) {
    auto n = go_parse<int64_t>(it->second, "ParseInt");
    if (!n || *n < 0 || *n > std::numeric_limits<uint16_t>::max())
      return fail("invalid value for blkio-weight: " + it->second);
    if (*n != 0) put(doc, "blockIO", "weight", Value(static_cast<unsigned>(*n)));
  }
  if (auto it = flags.find("pids-limit"); it != flags.end()) {
    auto n = go_parse<int64_t>(it->second, "ParseInt");
    if (!n) return std::unexpected(n.error().context("invalid value for pids-limit"));
    put(doc, "pids", "limit", Value(static_cast<int64_t>(*n)));
  }
  return {};
}

// What runc's update copies from the request, and the JSON type each must have.
enum class Kind { i64, u64, u16, str, boolean };
struct Field {
  const char* section;
  const char* key;
  Kind kind;
  bool zero_is_unset;  // runc's writers skip 0 / "" for these
};
constexpr Field kFields[] = {
    {"memory", "limit", Kind::i64, true},
    {"memory", "reservation", Kind::i64, true},
    {"memory", "swap", Kind::i64, true},
    {"memory", "checkBeforeUpdate", Kind::boolean, false},
    {"cpu", "shares", Kind::u64, true},
    {"cpu", "quota", Kind::i64, true},
    {"cpu", "period", Kind::u64, true},
    {"cpu", "burst", Kind::u64, false},
    {"cpu", "realtimeRuntime", Kind::i64, true},
    {"cpu", "realtimePeriod", Kind::u64, true},
    {"cpu", "cpus", Kind::str, true},
    {"cpu", "mems", Kind::str, true},
    {"cpu", "idle", Kind::i64, false},
    {"blockIO", "weight", Kind::u16, true},
    {"pids", "limit", Kind::i64, true},
};

bool type_ok(const Value& v, Kind k) {
  switch (k) {
    case Kind::i64:
      return v.IsInt64();
    case Kind::u64:
      return v.IsUint64();
    case Kind::u16:
      return v.IsUint() && v.GetUint() <= 0xffff;
    case Kind::str:
      return v.IsString();
    case Kind::boolean:
      return v.IsBool();
  }
  return false;
}

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::i64:
      return "a signed 64-bit integer";
    case Kind::u64:
      return "an unsigned 64-bit integer";
    case Kind::u16:
      return "an integer from 0 to 65535";
    case Kind::str:
      return "a string";
    case Kind::boolean:
      return "a boolean";
  }
  return "";
}

bool is_unset(const Value& v, Kind k) {
  if (k == Kind::str) return v.GetStringLength() == 0;
  if (k == Kind::boolean) return false;
  return v.IsInt64() ? v.GetInt64() == 0 : v.GetUint64() == 0;
}

const Value* member(const Value& obj, const char* key) {
  if (!obj.IsObject()) return nullptr;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  return &it->value;
}

Result<void> copy_unified(const Value& in, Document& out) {
  const Value* unified = member(in, "unified");
  if (!unified) return {};
  if (!unified->IsObject()) return fail("resources: unified: expected an object");
  for (auto it = unified->MemberBegin(); it != unified->MemberEnd(); ++it)
    if (!it->value.IsString())
      return fail("resources: unified." + std::string(it->name.GetString()) +
                  ": expected a string");
  out.AddMember("unified", Value(*unified, out.GetAllocator()), out.GetAllocator());
  return {};
}

void warn_kernel_memory(const Value& in) {
  const Value* mem = member(in, "memory");
  if (!mem) return;
  for (const char* key : {"kernel", "kernelTCP"}) {
    const Value* v = member(*mem, key);
    if (v && v->IsNumber() && v->GetDouble() != 0) {
      log::warning("Kernel memory settings are ignored and will be removed");
      return;
    }
  }
}

}  // namespace

Result<std::string> patch_from_flags(const std::map<std::string, std::string>& flags) {
  Document doc(rapidjson::kObjectType);
  if (auto r = integer_flags(flags, doc); !r) return std::unexpected(r.error());
  if (auto r = cpu_flags(flags, doc); !r) return std::unexpected(r.error());
  if (auto r = memory_flags(flags, doc); !r) return std::unexpected(r.error());
  return detail::to_text(doc);
}

Result<std::string> normalize_patch(std::string_view resources_json) {
  Document in;
  if (auto r = detail::parse_json(in, resources_json, "decoding resources"); !r)
    return std::unexpected(r.error());
  Document out(rapidjson::kObjectType);
  if (in.IsNull()) return detail::to_text(out);
  if (!in.IsObject()) return fail("decoding resources: expected a JSON object");
  warn_kernel_memory(in);
  for (const Field& f : kFields) {
    const Value* section = member(in, f.section);
    if (section && !section->IsObject())
      return fail(std::string("resources: ") + f.section + ": expected an object");
    const Value* v = section ? member(*section, f.key) : nullptr;
    if (!v) continue;
    if (!type_ok(*v, f.kind))
      return fail(std::string("resources: ") + f.section + "." + f.key + ": expected " +
                  kind_name(f.kind));
    if (f.zero_is_unset && is_unset(*v, f.kind)) continue;
    put(out, f.section, f.key, Value(*v, out.GetAllocator()));
  }
  if (auto r = copy_unified(in, out); !r) return std::unexpected(r.error());
  return detail::to_text(out);
}

Result<std::string> merge_json(std::string_view base, std::string_view patch) {
  Document b, p;
  if (auto r = detail::parse_json(b, base, "merging resources"); !r)
    return std::unexpected(r.error());
  if (auto r = detail::parse_json(p, patch, "merging resources"); !r)
    return std::unexpected(r.error());
  detail::merge_into(b, p, b.GetAllocator());
  return detail::to_text(b);
}

Result<std::string> config_resources(std::string_view config_json) {
  Document doc;
  if (auto r = detail::parse_json(doc, config_json, "reading the container's config"); !r)
    return std::unexpected(r.error());
  const Value* linux = member(doc, "linux");
  const Value* res = linux ? member(*linux, "resources") : nullptr;
  if (!res) return std::string("{}");
  return detail::to_text(*res);
}

Result<std::string> config_with_resources(std::string_view config_json,
                                          std::string_view resources_json) {
  Document doc, res;
  if (auto r = detail::parse_json(doc, config_json, "reading the container's config"); !r)
    return std::unexpected(r.error());
  if (auto r = detail::parse_json(res, resources_json, "storing resources"); !r)
    return std::unexpected(r.error());
  if (!doc.IsObject()) return fail("reading the container's config: expected a JSON object");
  auto& a = doc.GetAllocator();
  auto linux = doc.FindMember("linux");
  if (linux == doc.MemberEnd() || !linux->value.IsObject()) {
    doc.RemoveMember("linux");
    doc.AddMember("linux", Value(rapidjson::kObjectType), a);
    linux = doc.FindMember("linux");
  }
  linux->value.RemoveMember("resources");
  linux->value.AddMember("resources", Value(res, a), a);
  return detail::to_text(doc);
}

}  // namespace keel::manage
