// config.process / exec --process: parsing and the per-process checks runc makes
// (utils_linux.go validateProcessSpec, validator.go scheduler, capability and rlimit names).
#include <charconv>
#include <set>

#include "keel/spec/names.hpp"
#include "parsers.hpp"

namespace keel::spec::detail {
namespace {

Status check_cap_list(Reader& r, const Value& caps, const char* set,
                      std::vector<std::string>& out) {
  KEEL_TRY(field(r, caps, set, out));
  auto seg = r.key(set);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (!names::capability(out[i])) {
      auto idx = r.index(i);
      return r.fail("unknown capability " + quote(out[i]));
    }
  }
  return {};
}

// "0-3,7": comma-separated CPU numbers or ascending ranges, as sched_setaffinity users write them.
bool valid_cpu_list(std::string_view s) {
  if (s.empty()) return true;
  auto number = [&](std::string_view& rest, unsigned& n) {
    auto [p, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), n);
    if (ec != std::errc() || p == rest.data()) return false;
    rest.remove_prefix(p - rest.data());
    return true;
  };
  std::string_view rest = s;
  while (true) {
    unsigned lo = 0, hi = 0;
    if (!number(rest, lo)) return false;
    hi = lo;
    if (!rest.empty() && rest.front() == '-') {
      rest.remove_prefix(1);
      if (!number(rest, hi) || hi < lo) return false;
    }
    if (rest.empty()) return true;
    if (rest.front() != ',') return false;
    rest.remove_prefix(1);
  }
}

Status check_env(Reader& r, const std::vector<std::string>& env) {
  auto seg = r.key("env");
  for (std::size_t i = 0; i < env.size(); ++i) {
    auto eq = env[i].find('=');
    if (eq == std::string::npos) {
      auto idx = r.index(i);
      return r.fail("invalid environment variable " + quote(env[i]) + ": missing '='");
    }
    if (eq == 0) {
      auto idx = r.index(i);
      return r.fail("invalid environment variable " + quote(env[i]) + ": name cannot be empty");
    }
  }
  return {};
}

Status check_rlimits(Reader& r, const std::vector<Rlimit>& rlimits) {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < rlimits.size(); ++i) {
    if (!seen.insert(rlimits[i].type).second) {
      auto seg = r.key("rlimits");
      auto idx = r.index(i);
      auto t = r.key("type");
      return r.fail("duplicate rlimit type " + quote(rlimits[i].type));
    }
  }
  return {};
}

}  // namespace

Status get(Reader& r, const Value& v, Capabilities& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(check_cap_list(r, v, "bounding", out.bounding));
  KEEL_TRY(check_cap_list(r, v, "effective", out.effective));
  KEEL_TRY(check_cap_list(r, v, "inheritable", out.inheritable));
  KEEL_TRY(check_cap_list(r, v, "permitted", out.permitted));
  KEEL_TRY(check_cap_list(r, v, "ambient", out.ambient));
  return {};
}

Status get(Reader& r, const Value& v, Rlimit& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "type", out.type));
  if (!names::rlimit(out.type)) {
    auto seg = r.key("type");
    return r.fail("wrong rlimit value: " + out.type);
  }
  KEEL_TRY(field(r, v, "soft", out.soft));
  KEEL_TRY(field(r, v, "hard", out.hard));
  return {};
}

Status get(Reader& r, const Value& v, User& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "uid", out.uid));
  KEEL_TRY(field(r, v, "gid", out.gid));
  KEEL_TRY(field(r, v, "umask", out.umask));
  KEEL_TRY(field(r, v, "additionalGids", out.additional_gids));
  KEEL_TRY(field(r, v, "username", out.username));
  return {};
}

Status get(Reader& r, const Value& v, ConsoleSize& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "height", out.height));
  KEEL_TRY(field(r, v, "width", out.width));
  return {};
}

Status get(Reader& r, const Value& v, Scheduler& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "policy", out.policy));
  KEEL_TRY(field(r, v, "nice", out.nice));
  KEEL_TRY(field(r, v, "priority", out.priority));
  KEEL_TRY(field(r, v, "flags", out.flags));
  KEEL_TRY(field(r, v, "runtime", out.runtime));
  KEEL_TRY(field(r, v, "deadline", out.deadline));
  KEEL_TRY(field(r, v, "period", out.period));
  {
    auto seg = r.key("policy");
    if (out.policy.empty()) return r.fail("scheduler policy is required");
    if (!names::contains(names::scheduler_policies, out.policy))
      return r.fail("invalid scheduler policy " + quote(out.policy));
  }
  for (std::size_t i = 0; i < out.flags.size(); ++i) {
    if (!names::contains(names::scheduler_flags, out.flags[i])) {
      auto seg = r.key("flags");
      auto idx = r.index(i);
      return r.fail("invalid scheduler flag " + quote(out.flags[i]));
    }
  }
  // The remaining rules mirror runc's validator (sched_setattr(2) semantics).
  if (out.nice && (*out.nice < -20 || *out.nice > 19)) {
    auto seg = r.key("nice");
    return r.fail("invalid scheduler.nice: " + std::to_string(*out.nice));
  }
  if (out.priority.value_or(0) != 0 && out.policy != "SCHED_FIFO" && out.policy != "SCHED_RR") {
    auto seg = r.key("priority");
    return r.fail("scheduler.priority can only be specified for SchedFIFO or SchedRR policy");
  }
  if (out.policy != "SCHED_DEADLINE" &&
      (out.runtime.value_or(0) || out.deadline.value_or(0) || out.period.value_or(0)))
    return r.fail(
        "scheduler runtime/deadline/period can only be specified for SchedDeadline policy");
  return {};
}

Status get(Reader& r, const Value& v, IoPriority& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "class", out.io_class));
  KEEL_TRY(field(r, v, "priority", out.priority));
  if (!names::lookup(names::io_priority_classes, out.io_class)) {
    auto seg = r.key("class");
    return r.fail("invalid io priority class: " + out.io_class);
  }
  if (out.priority < 0 || out.priority > 7) {
    auto seg = r.key("priority");
    return r.fail("invalid ioPriority.Priority: " + std::to_string(out.priority));
  }
  return {};
}

Status get(Reader& r, const Value& v, CpuAffinity& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "initial", out.initial));
  KEEL_TRY(field(r, v, "final", out.final));
  for (auto [name, value] : {std::pair{"initial", &out.initial}, std::pair{"final", &out.final}}) {
    if (!valid_cpu_list(*value)) {
      auto seg = r.key(name);
      return r.fail("invalid CPU list " + quote(*value));
    }
  }
  return {};
}

Status get(Reader& r, const Value& v, Process& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "terminal", out.terminal));
  KEEL_TRY(field(r, v, "consoleSize", out.console_size));
  KEEL_TRY(field(r, v, "user", out.user));
  KEEL_TRY(field(r, v, "args", out.args));
  KEEL_TRY(field(r, v, "commandLine", out.command_line));
  KEEL_TRY(field(r, v, "env", out.env));
  KEEL_TRY(field(r, v, "cwd", out.cwd));
  KEEL_TRY(field(r, v, "capabilities", out.capabilities));
  KEEL_TRY(field(r, v, "rlimits", out.rlimits));
  KEEL_TRY(field(r, v, "noNewPrivileges", out.no_new_privileges));
  KEEL_TRY(field(r, v, "apparmorProfile", out.apparmor_profile));
  KEEL_TRY(field(r, v, "oomScoreAdj", out.oom_score_adj));
  KEEL_TRY(field(r, v, "scheduler", out.scheduler));
  KEEL_TRY(field(r, v, "selinuxLabel", out.selinux_label));
  KEEL_TRY(field(r, v, "ioPriority", out.io_priority));
  KEEL_TRY(field(r, v, "execCPUAffinity", out.exec_cpu_affinity));

  // runc's validateProcessSpec, in its order.
  {
    auto seg = r.key("cwd");
    if (out.cwd.empty()) return r.fail("Cwd property must not be empty");
    if (!is_abs(out.cwd)) return r.fail("Cwd must be an absolute path");
  }
  if (out.args.empty()) {
    auto seg = r.key("args");
    return r.fail("args must not be empty");
  }
  KEEL_TRY(check_env(r, out.env));
  KEEL_TRY(check_rlimits(r, out.rlimits));
  return {};
}

}  // namespace keel::spec::detail
