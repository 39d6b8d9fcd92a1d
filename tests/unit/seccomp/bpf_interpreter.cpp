#include "bpf_interpreter.hpp"

#include <cstring>

namespace keel::seccomp::test {

std::optional<uint32_t> run_bpf(const Program& program, const seccomp_data& data) {
  uint32_t acc = 0;
  size_t pc = 0;
  while (pc < program.size()) {
    const Insn& i = program[pc++];
    switch (i.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (i.k % 4 != 0 || i.k + 4 > sizeof data) return std::nullopt;
        std::memcpy(&acc, reinterpret_cast<const char*>(&data) + i.k, 4);
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        acc &= i.k;
        break;
      case BPF_RET | BPF_K:
        return i.k;
      case BPF_JMP | BPF_JA:
        pc += i.k;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        pc += acc == i.k ? i.jt : i.jf;
        break;
      case BPF_JMP | BPF_JGT | BPF_K:
        pc += acc > i.k ? i.jt : i.jf;
        break;
      case BPF_JMP | BPF_JGE | BPF_K:
        pc += acc >= i.k ? i.jt : i.jf;
        break;
      case BPF_JMP | BPF_JSET | BPF_K:
        pc += (acc & i.k) ? i.jt : i.jf;
        break;
      default:
        return std::nullopt;
    }
  }
  return std::nullopt;
}

seccomp_data syscall_data(uint32_t arch, int nr, uint64_t arg0) {
  seccomp_data d{};
  d.nr = nr;
  d.arch = arch;
  d.args[0] = arg0;
  return d;
}

}  // namespace keel::seccomp::test
