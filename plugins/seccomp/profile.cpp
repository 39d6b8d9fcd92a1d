#include "profile.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "text.hpp"

namespace keel::seccomp {
namespace {

using Value = rapidjson::Value;
constexpr unsigned kMaxArgs = 6;  // a Linux syscall has at most six arguments

std::string quoted(const Value& v) {
  return v.IsString() ? cat("\"", v.GetString(), "\"") : std::string("(not a string)");
}

Result<std::optional<uint32_t>> optional_u32(const Value& obj, const char* key,
                                             const std::string& where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsUint()) return fail(cat(where, ".", key, ": expected an unsigned integer"));
  return it->value.GetUint();
}

Result<std::string> optional_string(const Value& obj, const char* key, const std::string& where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return std::string();
  if (!it->value.IsString()) return fail(cat(where, ".", key, ": expected a string"));
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// An array member that may be absent; anything else than an array is an error.
Result<const Value*> optional_array(const Value& obj, const char* key, const std::string& where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || it->value.IsNull()) return nullptr;
  if (!it->value.IsArray()) return fail(cat(where, ".", key, ": expected an array"));
  return &it->value;
}

Result<ActionKind> parse_action(const Value& obj, const char* key, const std::string& where) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd()) return fail(cat(where, ": ", key, " is missing"));
  auto kind = it->value.IsString() ? find_action(it->value.GetString()) : std::nullopt;
  if (!kind) return fail(cat(where, ": unknown ", std::string_view(key), " ", quoted(it->value)));
  return *kind;
}

Result<Condition> parse_condition(const Value& arg, const std::string& where) {
  if (!arg.IsObject()) return fail(where + ": expected an object");
  Condition c;
  auto index = arg.FindMember("index");
  if (index == arg.MemberEnd() || !index->value.IsUint())
    return fail(where + ": index must be an unsigned integer");
  c.index = index->value.GetUint();
  if (c.index >= kMaxArgs)
    return fail(cat(where, ": index ", c.index, " is out of range (a syscall has arguments 0 to ",
                    kMaxArgs - 1, ")"));
  for (auto [key, out] : {std::pair{"value", &c.value}, std::pair{"valueTwo", &c.value_two}}) {
    auto it = arg.FindMember(key);
    if (it == arg.MemberEnd()) continue;
    if (!it->value.IsUint64()) return fail(cat(where, ".", key, ": expected an unsigned integer"));
    *out = it->value.GetUint64();
  }
  auto op = arg.FindMember("op");
  if (op == arg.MemberEnd()) return fail(where + ": op is missing");
  auto found = op->value.IsString() ? find_operator(op->value.GetString()) : std::nullopt;
  if (!found) return fail(cat(where, ": unknown operator ", quoted(op->value)));
  c.op = *found;
  return c;
}

Result<void> parse_syscall(const Value& entry, size_t i, Profile& p) {
  std::string where = cat("linux.seccomp.syscalls[", i, "]");
  if (!entry.IsObject()) return fail(where + ": expected an object");
  auto kind = parse_action(entry, "action", where);
  if (!kind) return std::unexpected(kind.error());
  auto errno_ret = optional_u32(entry, "errnoRet", where);
  if (!errno_ret) return std::unexpected(errno_ret.error());

  std::vector<Condition> conditions;
  auto args = optional_array(entry, "args", where);
  if (!args) return std::unexpected(args.error());
  if (*args) {
    for (rapidjson::SizeType a = 0; a < (*args)->Size(); ++a) {
      auto c = parse_condition((**args)[a], cat(where, ".args[", a, "]"));
      if (!c) return std::unexpected(c.error());
      conditions.push_back(*c);
    }
  }
  auto names = optional_array(entry, "names", where);
  if (!names) return std::unexpected(names.error());
  if (!*names || (*names)->Empty()) return fail(where + ": names is empty");
  for (rapidjson::SizeType n = 0; n < (*names)->Size(); ++n) {
    const Value& name = (**names)[n];
    if (!name.IsString() || name.GetStringLength() == 0)
      return fail(cat(where, ".names[", n, "]: expected a syscall name"));
    if (*kind == ActionKind::notify && std::string_view(name.GetString()) == "write")
      return fail(where + ": SCMP_ACT_NOTIFY cannot be used for the write syscall");
    p.rules.push_back(
        Rule{name.GetString(), i, *kind, action_value(*kind, *errno_ret), conditions});
  }
  if (*kind == ActionKind::notify) p.uses_notify = true;
  return {};
}

Result<void> parse_arches(const Value& root, Profile& p) {
  auto arches = optional_array(root, "architectures", "linux.seccomp");
  if (!arches) return std::unexpected(arches.error());
  if (!*arches) return {};
  for (rapidjson::SizeType i = 0; i < (*arches)->Size(); ++i) {
    const Value& v = (**arches)[i];
    auto arch = v.IsString() ? find_arch(v.GetString()) : std::nullopt;
    std::string where = cat("linux.seccomp.architectures[", i, "]");
    if (!arch) return fail(cat(where, ": unknown architecture ", quoted(v)));
    if (arch->token == 0)
      return fail(cat(where, ": ", arch->name, " is not supported by this libseccomp"));
    p.arches.push_back(arch->token);
  }
  return {};
}

Result<void> parse_flags(const Value& root, Profile& p) {
  auto flags = optional_array(root, "flags", "linux.seccomp");
  if (!flags) return std::unexpected(flags.error());
  p.flags_given = *flags != nullptr;
  if (!*flags) return {};
  for (rapidjson::SizeType i = 0; i < (*flags)->Size(); ++i) {
    const Value& v = (**flags)[i];
    auto flag = v.IsString() ? find_flag(v.GetString()) : std::nullopt;
    if (!flag) return fail(cat("linux.seccomp.flags[", i, "]: unknown flag ", quoted(v)));
    p.requested_flags.push_back(*flag);
  }
  return {};
}

Result<Profile> parse_document(const Value& root) {
  if (!root.IsObject()) return fail("linux.seccomp: expected an object");
  Profile p;
  auto syscalls = optional_array(root, "syscalls", "linux.seccomp");
  if (!syscalls) return std::unexpected(syscalls.error());
  bool has_syscalls = *syscalls && !(*syscalls)->Empty();
  if (!root.HasMember("defaultAction") && !has_syscalls) {
    p.disabled = true;
    return p;
  }
  auto kind = parse_action(root, "defaultAction", "linux.seccomp");
  if (!kind) return std::unexpected(kind.error());
  auto errno_ret = optional_u32(root, "defaultErrnoRet", "linux.seccomp");
  if (!errno_ret) return std::unexpected(errno_ret.error());
  if (*kind == ActionKind::notify)
    return fail("linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default action");
  p.default_kind = *kind;
  p.default_errno_ret = *errno_ret;
  p.default_action = action_value(*kind, *errno_ret);

  if (auto r = parse_arches(root, p); !r) return std::unexpected(r.error());
  if (auto r = parse_flags(root, p); !r) return std::unexpected(r.error());
  auto listener = optional_string(root, "listenerPath", "linux.seccomp");
  if (!listener) return std::unexpected(listener.error());
  p.listener_path = *listener;
  if (has_syscalls) {
    for (rapidjson::SizeType i = 0; i < (*syscalls)->Size(); ++i)
      if (auto r = parse_syscall((**syscalls)[i], i, p); !r) return std::unexpected(r.error());
  }
  if (p.uses_notify && p.listener_path.empty())
    return fail("linux.seccomp.listenerPath: required when a rule uses SCMP_ACT_NOTIFY");
  return p;
}

}  // namespace

Result<Profile> parse_profile(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseStopWhenDoneFlag>(json.data(), json.size());
  if (doc.HasParseError())
    return fail(cat("parsing linux.seccomp: ", rapidjson::GetParseError_En(doc.GetParseError()),
                    " (at offset ", doc.GetErrorOffset(), ")"));
  return parse_document(doc);
}

}  // namespace keel::seccomp
