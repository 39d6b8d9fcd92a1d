#include "enosys_stub.hpp"

#include <errno.h>
#include <linux/audit.h>

#include <map>

namespace keel::seccomp {
namespace {

constexpr uint32_t kRetEnosys = SECCOMP_RET_ERRNO | (ENOSYS & SECCOMP_RET_DATA);

// A forward-only assembler: conditional jumps only ever skip 0..3 local instructions, and every
// longer distance goes through `ja` (32-bit offset) to a label, so no offset can overflow a u8.
class Assembler {
 public:
  enum Label : int { kEnosys = -1, kFilter = -2 };

  void emit(Insn insn) { program_.push_back(insn); }
  void jump_to(int label) {
    fixups_.push_back({program_.size(), label});
    emit(jump_always(0));
  }
  void bind(int label) { labels_[label] = program_.size(); }
  // The filter label is the instruction right after the stub.
  Program finish() {
    labels_[kFilter] = program_.size();
    for (auto [at, label] : fixups_) program_[at].k = uint32_t(labels_.at(label) - at - 1);
    return std::move(program_);
  }

 private:
  struct Fixup {
    size_t at;
    int label;
  };
  Program program_;
  std::vector<Fixup> fixups_;
  std::map<int, size_t> labels_;
};

// nr > max ? ENOSYS : filter   (accumulator holds nr)
void emit_limit(Assembler& a, uint32_t max) {
  a.emit(jump_if(BPF_JGT, max, 0, 1));
  a.jump_to(Assembler::kEnosys);
  a.jump_to(Assembler::kFilter);
}

constexpr uint8_t kLimitLen = 3;

void emit_section(Assembler& a, const ArchLimit& l) {
  a.emit(load_abs(kNrOffset));
  if (l.zero_is_multiplexer) {
    a.emit(jump_if(BPF_JEQ, 0, 0, 1));
    a.jump_to(Assembler::kEnosys);
  }
  if (l.max_nr && l.max_x32_nr) {
    a.emit(jump_if(BPF_JSET, kX32SyscallBit, kLimitLen, 0));
    emit_limit(a, *l.max_nr);
    emit_limit(a, *l.max_x32_nr);
  } else if (l.max_x32_nr) {
    // Only x32 has a limit: calls of the other ABI go straight to the filter.
    a.emit(jump_if(BPF_JSET, kX32SyscallBit, 1, 0));
    a.jump_to(Assembler::kFilter);
    emit_limit(a, *l.max_x32_nr);
  } else {
    if (l.audit_arch == AUDIT_ARCH_X86_64) {
      a.emit(jump_if(BPF_JSET, kX32SyscallBit, 0, 1));
      a.jump_to(Assembler::kFilter);
    }
    emit_limit(a, *l.max_nr);
  }
}

}  // namespace

Program enosys_stub(const std::vector<ArchLimit>& limits) {
  std::vector<const ArchLimit*> guarded;
  for (const auto& l : limits)
    if (l.max_nr || l.max_x32_nr) guarded.push_back(&l);
  if (guarded.empty()) return {};

  Assembler a;
  a.emit(load_abs(kArchOffset));
  for (size_t i = 0; i < guarded.size(); ++i) {
    a.emit(jump_if(BPF_JEQ, guarded[i]->audit_arch, 0, 1));
    a.jump_to(int(i));
  }
  a.jump_to(Assembler::kFilter);  // an arch without a limit: the filter decides (bad arch)
  for (size_t i = 0; i < guarded.size(); ++i) {
    a.bind(int(i));
    emit_section(a, *guarded[i]);
  }
  a.bind(Assembler::kEnosys);
  a.emit(ret(kRetEnosys));
  return a.finish();
}

Result<Program> splice(const Program& stub, const Program& filter) {
  if (stub.size() + filter.size() > kMaxInsns)
    return fail("seccomp program too long: " + std::to_string(stub.size() + filter.size()) +
                " instructions (the kernel accepts at most " + std::to_string(kMaxInsns) + ")");
  Program out;
  out.reserve(stub.size() + filter.size());
  out.insert(out.end(), stub.begin(), stub.end());
  out.insert(out.end(), filter.begin(), filter.end());
  return out;
}

}  // namespace keel::seccomp
