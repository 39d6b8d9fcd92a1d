// The v2 device filter: a BPF_PROG_TYPE_CGROUP_DEVICE program built from a DevicePolicy, block
// for block what runc's devicefilter emits, so a container sees the same devices under both.
#include <cstdint>

#include "keel/cgroup/devices.hpp"

namespace keel::cgroup {

namespace {

constexpr int32_t kAllAccess = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

void return_verdict(bool allow, std::vector<bpf_insn>& out) {
  out.push_back(insn(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, allow ? 1 : 0));
  out.push_back(insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

int32_t access_bits(const std::string& access) {
  int32_t bits = 0;
  for (char ch : access) {
    if (ch == 'r') bits |= BPF_DEVCG_ACC_READ;
    if (ch == 'w') bits |= BPF_DEVCG_ACC_WRITE;
    if (ch == 'm') bits |= BPF_DEVCG_ACC_MKNOD;
  }
  return bits;
}

// One exception: every test jumps to the next block on a mismatch; a match returns its verdict.
// A request matches only when all the access it asks for is in the exception (an open for
// read+write is one request), exactly as runc's and crun's programs test it.
void append_exception(const DeviceRule& r, std::vector<bpf_insn>& out) {
  std::vector<bpf_insn> block;
  int32_t type = r.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
  block.push_back(insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0, type));
  if (int32_t access = access_bits(r.access); access != kAllAccess) {
    block.push_back(insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0));
    block.push_back(insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, access));
    block.push_back(insn(BPF_JMP | BPF_JNE | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0));
  }
  if (r.major >= 0)
    block.push_back(
        insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, static_cast<int32_t>(r.major)));
  if (r.minor >= 0)
    block.push_back(
        insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, static_cast<int32_t>(r.minor)));
  size_t tests = block.size();
  return_verdict(r.allow, block);
  for (size_t j = 0; j < tests; ++j)
    if (BPF_CLASS(block[j].code) == BPF_JMP)
      block[j].off = static_cast<int16_t>(block.size() - (j + 1));
  out.insert(out.end(), block.begin(), block.end());
}

}  // namespace

Result<std::vector<bpf_insn>> device_filter_program(const DevicePolicy& policy) {
  std::vector<bpf_insn> p;
  // struct bpf_cgroup_dev_ctx { u32 access_type (type | access << 16); u32 major; u32 minor; }
  p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 0, 0));
  p.push_back(insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xFFFF));
  p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_3, BPF_REG_1, 0, 0));
  p.push_back(insn(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16));
  p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_4, BPF_REG_1, 4, 0));
  p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, BPF_REG_1, 8, 0));
  // Every exception has the same verdict (the opposite of the default), so their order does
  // not matter; the compiled policy already made the last rule win.
  for (const DeviceRule& r : policy.exceptions) {
    if (r.major > INT32_MAX || r.minor > INT32_MAX)
      return fail("device rule \"" + device_rule_text(r) + "\": number out of range");
    append_exception(r, p);
  }
  return_verdict(policy.default_allow, p);
  return p;
}

Result<std::vector<bpf_insn>> device_filter_program(const std::vector<DeviceRule>& rules) {
  auto policy = compile_device_rules(rules);
  if (!policy) return std::unexpected(policy.error());
  return device_filter_program(*policy);
}

}  // namespace keel::cgroup
