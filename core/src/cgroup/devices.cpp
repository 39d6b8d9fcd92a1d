// Device rules: runc's defaults, the v1 write sequence, the v2 eBPF program.
#include "keel/cgroup/devices.hpp"

#include <cstdint>

namespace keel::cgroup {

std::vector<DeviceRule> default_device_rules() {
  auto c = [](int64_t major, int64_t minor, const char* access = "rwm") {
    return DeviceRule{true, 'c', major, minor, access};
  };
  return {
      c(-1, -1, "m"),                      // mknod of any char device
      DeviceRule{true, 'b', -1, -1, "m"},  // mknod of any block device
      c(1, 3),                             // /dev/null
      c(1, 8),                             // /dev/random
      c(1, 7),                             // /dev/full
      c(5, 0),                             // /dev/tty
      c(1, 5),                             // /dev/zero
      c(1, 9),                             // /dev/urandom
      c(136, -1),                          // /dev/pts/*
      c(5, 2),                             // /dev/ptmx
      c(10, 200),                          // /dev/net/tun
  };
}

std::vector<DeviceRule> effective_device_rules(const std::vector<DeviceRule>& spec) {
  std::vector<DeviceRule> out = spec;
  for (const DeviceRule& d : default_device_rules()) out.push_back(d);
  return out;
}

std::string device_rule_text(const DeviceRule& r) {
  auto num = [](int64_t v) { return v < 0 ? std::string("*") : std::to_string(v); };
  return std::string(1, r.type) + " " + num(r.major) + ":" + num(r.minor) + " " + r.access;
}

std::vector<std::pair<std::string, std::string>> v1_device_writes(
    const std::vector<DeviceRule>& rules) {
  // Start from "nothing allowed" so the result depends only on the rules, then apply them in
  // order: in v1, a later rule overrides an earlier one for the devices it names.
  std::vector<std::pair<std::string, std::string>> out{{"devices.deny", "a"}};
  for (const DeviceRule& r : rules)
    out.emplace_back(r.allow ? "devices.allow" : "devices.deny", device_rule_text(r));
  return out;
}

namespace {

bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm) {
  bpf_insn i{};
  i.code = code;
  i.dst_reg = dst & 0xf;
  i.src_reg = src & 0xf;
  i.off = off;
  i.imm = imm;
  return i;
}

bpf_insn ret(bool allow, std::vector<bpf_insn>& out) {
  out.push_back(insn(BPF_ALU | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, allow ? 1 : 0));
  return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
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

// One rule: jumps past the block when the device does not match, else return the verdict.
// Returns false for a rule that matches everything (nothing before it can matter).
bool append_rule(const DeviceRule& r, std::vector<bpf_insn>& out) {
  constexpr int32_t all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
  int32_t access = access_bits(r.access);
  std::vector<bpf_insn> block;
  if (r.type != 'a') {
    int32_t type = r.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
    block.push_back(insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_2, 0, 0, type));
  }
  if (access != all) {
    block.push_back(insn(BPF_ALU | BPF_MOV | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0));
    block.push_back(insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_1, 0, 0, access));
    if (r.allow)  // an allow covers the request only when it grants every access asked for
      block.push_back(insn(BPF_JMP | BPF_JNE | BPF_X, BPF_REG_1, BPF_REG_3, 0, 0));
    else  // a deny applies as soon as it takes away any access asked for (v1 semantics)
      block.push_back(insn(BPF_JMP | BPF_JEQ | BPF_K, BPF_REG_1, 0, 0, 0));
  }
  if (r.major >= 0)
    block.push_back(
        insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_4, 0, 0, static_cast<int32_t>(r.major)));
  if (r.minor >= 0)
    block.push_back(
        insn(BPF_JMP | BPF_JNE | BPF_K, BPF_REG_5, 0, 0, static_cast<int32_t>(r.minor)));
  bool catch_all = block.empty();
  size_t jumps = block.size();
  bpf_insn exit = ret(r.allow, block);
  block.push_back(exit);
  for (size_t j = 0; j < jumps; ++j) {
    auto& i = block[j];
    if (BPF_CLASS(i.code) == BPF_JMP) i.off = static_cast<int16_t>(block.size() - (j + 1));
  }
  out.insert(out.end(), block.begin(), block.end());
  return !catch_all;
}

}  // namespace

Result<std::vector<bpf_insn>> device_filter_program(const std::vector<DeviceRule>& rules) {
  std::vector<bpf_insn> p;
  // struct bpf_cgroup_dev_ctx { u32 access_type (type | access << 16); u32 major; u32 minor; }
  p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_2, BPF_REG_1, 0, 0));
  p.push_back(insn(BPF_ALU | BPF_AND | BPF_K, BPF_REG_2, 0, 0, 0xFFFF));
  p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_3, BPF_REG_1, 0, 0));
  p.push_back(insn(BPF_ALU | BPF_RSH | BPF_K, BPF_REG_3, 0, 0, 16));
  p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_4, BPF_REG_1, 4, 0));
  p.push_back(insn(BPF_LDX | BPF_MEM | BPF_W, BPF_REG_5, BPF_REG_1, 8, 0));
  // The last matching rule wins, as in v1: test rules from the end.
  for (auto it = rules.rbegin(); it != rules.rend(); ++it) {
    if (it->major > INT32_MAX || it->minor > INT32_MAX)
      return fail("device rule \"" + device_rule_text(*it) + "\": number out of range");
    if (!append_rule(*it, p)) return p;
  }
  bpf_insn exit = ret(false, p);  // nothing matched: deny
  p.push_back(exit);
  return p;
}

}  // namespace keel::cgroup
