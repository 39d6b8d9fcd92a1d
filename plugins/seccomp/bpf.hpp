// Classic BPF as seccomp(2) consumes it: the instruction type, a few constructors and the
// program limit, shared by the ENOSYS stub generator and the program splicer.
#pragma once

#include <linux/filter.h>
#include <linux/seccomp.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace keel::seccomp {

using Insn = sock_filter;
using Program = std::vector<Insn>;

// The kernel refuses longer programs (BPF_MAXINSNS).
inline constexpr size_t kMaxInsns = 4096;

// Offsets inside struct seccomp_data.
inline constexpr uint32_t kNrOffset = 0;
inline constexpr uint32_t kArchOffset = 4;

inline Insn load_abs(uint32_t offset) {
  return Insn{BPF_LD | BPF_W | BPF_ABS, 0, 0, offset};
}
inline Insn jump_always(uint32_t skip) {
  return Insn{BPF_JMP | BPF_JA, 0, 0, skip};
}
inline Insn jump_if(uint16_t cond, uint32_t k, uint8_t jt, uint8_t jf) {
  return Insn{static_cast<uint16_t>(BPF_JMP | cond | BPF_K), jt, jf, k};
}
inline Insn ret(uint32_t value) {
  return Insn{BPF_RET | BPF_K, 0, 0, value};
}

// Raw bytes (host endian, as seccomp_export_bpf writes them) <-> instructions.
std::string to_bytes(const Program& program);
Program from_bytes(std::string_view bytes);  // bytes.size() must be a multiple of 8

}  // namespace keel::seccomp
