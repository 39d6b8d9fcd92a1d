// config.linux.seccomp: parsing and the name checks runc makes when converting the profile
// (libcontainer/seccomp/config.go), so a bad profile fails at create, before any plugin runs.
#include "keel/spec/names.hpp"
#include "parsers.hpp"

namespace keel::spec::detail {
namespace {

constexpr std::string_view kNotify = "SCMP_ACT_NOTIFY";

Status check_action(Reader& r, const std::string& action) {
  if (!names::contains(names::seccomp_actions, action))
    return r.fail("string " + action + " is not a valid action for seccomp");
  return {};
}

template <std::size_t N>
Status check_names(Reader& r, const char* key, const std::vector<std::string>& values,
                   const std::array<std::string_view, N>& known, const char* what) {
  auto seg = r.key(key);
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (!names::contains(known, values[i])) {
      auto idx = r.index(i);
      return r.fail("string " + values[i] + " is not a valid " + what + " for seccomp");
    }
  }
  return {};
}

}  // namespace

Status get(Reader& r, const Value& v, SeccompArg& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "index", out.index));
  KEEL_TRY(field(r, v, "value", out.value));
  KEEL_TRY(field(r, v, "valueTwo", out.value_two));
  KEEL_TRY(required(r, v, "op", out.op));
  if (out.index > 5) {
    auto seg = r.key("index");
    return r.fail("syscall argument index " + std::to_string(out.index) +
                  " out of range (a syscall has 6 arguments)");
  }
  if (!names::contains(names::seccomp_operators, out.op)) {
    auto seg = r.key("op");
    return r.fail("string " + out.op + " is not a valid operator for seccomp");
  }
  return {};
}

Status get(Reader& r, const Value& v, SeccompSyscall& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "names", out.names));
  KEEL_TRY(required(r, v, "action", out.action));
  KEEL_TRY(field(r, v, "errnoRet", out.errno_ret));
  KEEL_TRY(field(r, v, "args", out.args));
  auto seg = r.key("action");
  KEEL_TRY(check_action(r, out.action));
  if (out.action == kNotify) {
    for (const auto& name : out.names)
      if (name == "write") return r.fail("SCMP_ACT_NOTIFY cannot be used for the write syscall");
  }
  return {};
}

Status get(Reader& r, const Value& v, Seccomp& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "defaultAction", out.default_action));
  KEEL_TRY(field(r, v, "defaultErrnoRet", out.default_errno_ret));
  KEEL_TRY(field(r, v, "architectures", out.architectures));
  KEEL_TRY(field(r, v, "flags", out.flags));
  KEEL_TRY(field(r, v, "listenerPath", out.listener_path));
  KEEL_TRY(field(r, v, "listenerMetadata", out.listener_metadata));
  KEEL_TRY(field(r, v, "syscalls", out.syscalls));
  KEEL_TRY(
      check_names(r, "architectures", out.architectures, names::seccomp_architectures, "arch"));
  KEEL_TRY(check_names(r, "flags", out.flags, names::seccomp_flags, "flag"));
  // runc treats a profile with neither a default action nor rules as "no seccomp".
  if (out.default_action.empty() && out.syscalls.empty()) return {};
  {
    auto seg = r.key("defaultAction");
    KEEL_TRY(check_action(r, out.default_action));
    if (out.default_action == kNotify)
      return r.fail("SCMP_ACT_NOTIFY cannot be used as default action");
  }
  bool notify = false;
  for (const auto& s : out.syscalls) notify = notify || s.action == kNotify;
  if (notify && out.listener_path.empty()) {
    auto seg = r.key("listenerPath");
    return r.fail("listenerPath is required when SCMP_ACT_NOTIFY is used");
  }
  if (!out.listener_path.empty() && !is_abs(out.listener_path)) {
    auto seg = r.key("listenerPath");
    return r.fail("listenerPath " + quote(out.listener_path) + " is not absolute");
  }
  return {};
}

}  // namespace keel::spec::detail
