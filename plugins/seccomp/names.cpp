#include "names.hpp"

#include <errno.h>
#include <linux/seccomp.h>

#include <algorithm>
#include <array>

namespace keel::seccomp {
namespace {

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifdef SCMP_ARCH_LOONGARCH64
constexpr uint32_t kLoongarch64 = SCMP_ARCH_LOONGARCH64;
#else
constexpr uint32_t kLoongarch64 = 0;  // libseccomp < 2.6: known name, unsupported here
#endif

constexpr std::array kActions = {
    ActionName{"SCMP_ACT_ALLOW", ActionKind::allow},
    ActionName{"SCMP_ACT_ERRNO", ActionKind::errno_},
    ActionName{"SCMP_ACT_KILL", ActionKind::kill_thread},
    ActionName{"SCMP_ACT_KILL_PROCESS", ActionKind::kill_process},
    ActionName{"SCMP_ACT_KILL_THREAD", ActionKind::kill_thread},
    ActionName{"SCMP_ACT_LOG", ActionKind::log},
    ActionName{"SCMP_ACT_NOTIFY", ActionKind::notify},
    ActionName{"SCMP_ACT_TRACE", ActionKind::trace},
    ActionName{"SCMP_ACT_TRAP", ActionKind::trap},
};

constexpr std::array kArchs = {
    ArchName{"SCMP_ARCH_AARCH64", SCMP_ARCH_AARCH64},
    ArchName{"SCMP_ARCH_ARM", SCMP_ARCH_ARM},
    ArchName{"SCMP_ARCH_LOONGARCH64", kLoongarch64},
    ArchName{"SCMP_ARCH_MIPS", SCMP_ARCH_MIPS},
    ArchName{"SCMP_ARCH_MIPS64", SCMP_ARCH_MIPS64},
    ArchName{"SCMP_ARCH_MIPS64N32", SCMP_ARCH_MIPS64N32},
    ArchName{"SCMP_ARCH_MIPSEL", SCMP_ARCH_MIPSEL},
    ArchName{"SCMP_ARCH_MIPSEL64", SCMP_ARCH_MIPSEL64},
    ArchName{"SCMP_ARCH_MIPSEL64N32", SCMP_ARCH_MIPSEL64N32},
    ArchName{"SCMP_ARCH_PARISC", SCMP_ARCH_PARISC},
    ArchName{"SCMP_ARCH_PARISC64", SCMP_ARCH_PARISC64},
    ArchName{"SCMP_ARCH_PPC", SCMP_ARCH_PPC},
    ArchName{"SCMP_ARCH_PPC64", SCMP_ARCH_PPC64},
    ArchName{"SCMP_ARCH_PPC64LE", SCMP_ARCH_PPC64LE},
    ArchName{"SCMP_ARCH_RISCV64", SCMP_ARCH_RISCV64},
    ArchName{"SCMP_ARCH_S390", SCMP_ARCH_S390},
    ArchName{"SCMP_ARCH_S390X", SCMP_ARCH_S390X},
    ArchName{"SCMP_ARCH_X32", SCMP_ARCH_X32},
    ArchName{"SCMP_ARCH_X86", SCMP_ARCH_X86},
    ArchName{"SCMP_ARCH_X86_64", SCMP_ARCH_X86_64},
};

constexpr std::array kOperators = {
    OperatorName{"SCMP_CMP_EQ", SCMP_CMP_EQ},
    OperatorName{"SCMP_CMP_GE", SCMP_CMP_GE},
    OperatorName{"SCMP_CMP_GT", SCMP_CMP_GT},
    OperatorName{"SCMP_CMP_LE", SCMP_CMP_LE},
    OperatorName{"SCMP_CMP_LT", SCMP_CMP_LT},
    OperatorName{"SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ},
    OperatorName{"SCMP_CMP_NE", SCMP_CMP_NE},
};

constexpr std::array kFlags = {
    FlagName{"SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC},
    FlagName{"SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW},
    FlagName{"SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG},
    FlagName{"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV},
};

template <class Table>
auto find_in(const Table& table, std::string_view name) -> const typename Table::value_type* {
  auto it = std::find_if(table.begin(), table.end(), [&](auto& e) { return e.name == name; });
  return it == table.end() ? nullptr : &*it;
}

template <class Table>
std::vector<std::string_view> names_of(const Table& table) {
  std::vector<std::string_view> out;
  for (auto& e : table) out.push_back(e.name);
  return out;
}

}  // namespace

std::optional<ActionKind> find_action(std::string_view name) {
  if (auto* e = find_in(kActions, name)) return e->kind;
  return std::nullopt;
}
std::optional<ArchName> find_arch(std::string_view name) {
  if (auto* e = find_in(kArchs, name)) return *e;
  return std::nullopt;
}
std::optional<scmp_compare> find_operator(std::string_view name) {
  if (auto* e = find_in(kOperators, name)) return e->op;
  return std::nullopt;
}
std::optional<FlagName> find_flag(std::string_view name) {
  if (auto* e = find_in(kFlags, name)) return *e;
  return std::nullopt;
}

uint32_t action_value(ActionKind kind, std::optional<uint32_t> errno_ret) {
  switch (kind) {
    case ActionKind::kill_thread:
      return SCMP_ACT_KILL_THREAD;
    case ActionKind::kill_process:
      return SCMP_ACT_KILL_PROCESS;
    case ActionKind::trap:
      return SCMP_ACT_TRAP;
    case ActionKind::errno_:
      return SCMP_ACT_ERRNO(errno_ret.value_or(EPERM));
    case ActionKind::trace:
      return SCMP_ACT_TRACE(errno_ret.value_or(EPERM));
    case ActionKind::allow:
      return SCMP_ACT_ALLOW;
    case ActionKind::log:
      return SCMP_ACT_LOG;
    case ActionKind::notify:
      return SCMP_ACT_NOTIFY;
  }
  return SCMP_ACT_KILL_THREAD;
}

std::vector<std::string_view> known_actions() {
  return names_of(kActions);
}
std::vector<std::string_view> known_archs() {
  return names_of(kArchs);
}
std::vector<std::string_view> known_operators() {
  return names_of(kOperators);
}
std::vector<std::string_view> known_flags() {
  return names_of(kFlags);
}

}  // namespace keel::seccomp
