#include <doctest/doctest.h>

#include "keel/cgroup/devices.hpp"

using namespace keel::cgroup;

namespace {

// A tiny interpreter for the instructions the generator emits, so the program's verdicts are
// checked, not its bytes.
int run(const std::vector<bpf_insn>& prog, char type, uint32_t major, uint32_t minor,
        const std::string& access) {
  uint32_t acc = 0;
  for (char ch : access)
    acc |= ch == 'r' ? BPF_DEVCG_ACC_READ : ch == 'w' ? BPF_DEVCG_ACC_WRITE : BPF_DEVCG_ACC_MKNOD;
  uint32_t ctx[3] = {(type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR) | (acc << 16), major,
                     minor};
  uint64_t r[11] = {};
  for (size_t pc = 0; pc < prog.size(); ++pc) {
    const bpf_insn& i = prog[pc];
    uint64_t src = BPF_SRC(i.code) == BPF_X ? r[i.src_reg] : static_cast<uint32_t>(i.imm);
    switch (i.code) {
      case BPF_LDX | BPF_MEM | BPF_W:
        r[i.dst_reg] = ctx[i.off / 4];
        break;
      case BPF_ALU | BPF_AND | BPF_K:
        r[i.dst_reg] = static_cast<uint32_t>(r[i.dst_reg] & src);
        break;
      case BPF_ALU | BPF_RSH | BPF_K:
        r[i.dst_reg] = static_cast<uint32_t>(r[i.dst_reg] >> src);
        break;
      case BPF_ALU | BPF_MOV | BPF_K:
      case BPF_ALU | BPF_MOV | BPF_X:
        r[i.dst_reg] = static_cast<uint32_t>(src);
        break;
      case BPF_JMP | BPF_JNE | BPF_K:
      case BPF_JMP | BPF_JNE | BPF_X:
        if (r[i.dst_reg] != src) pc += i.off;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
        if (r[i.dst_reg] == src) pc += i.off;
        break;
      case BPF_JMP | BPF_EXIT:
        return static_cast<int>(r[0]);
      default:
        FAIL("unexpected instruction " << int(i.code));
    }
  }
  FAIL("program fell off the end");
  return -1;
}

DeviceRule rule(bool allow, char type, int64_t major, int64_t minor, const char* access) {
  return DeviceRule{allow, type, major, minor, access};
}

}  // namespace

TEST_CASE("v1 device writes start with deny-all and keep the rules' order") {
  auto w = v1_device_writes(
      {rule(false, 'a', -1, -1, "rwm"), rule(true, 'c', 1, 3, "rwm"), rule(false, 'c', 1, 3, "w")});
  REQUIRE(w.size() == 4);
  CHECK(w[0] == std::pair<std::string, std::string>{"devices.deny", "a"});
  CHECK(w[1] == std::pair<std::string, std::string>{"devices.deny", "a *:* rwm"});
  CHECK(w[2] == std::pair<std::string, std::string>{"devices.allow", "c 1:3 rwm"});
  CHECK(w[3] == std::pair<std::string, std::string>{"devices.deny", "c 1:3 w"});
}

TEST_CASE("runc's default device rules come after the spec's") {
  auto rules = effective_device_rules({rule(false, 'c', 1, 3, "rwm")});
  REQUIRE(rules.size() == 1 + default_device_rules().size());
  CHECK(device_rule_text(rules[0]) == "c 1:3 rwm");
  CHECK(device_rule_text(rules[1]) == "c *:* m");
  CHECK(device_rule_text(rules.back()) == "c 10:200 rwm");
}

TEST_CASE("the eBPF device program lets the last matching rule win") {
  auto p = device_filter_program({rule(false, 'a', -1, -1, "rwm"), rule(true, 'c', 1, 3, "rwm"),
                                  rule(false, 'c', 1, 3, "w"), rule(true, 'b', 8, -1, "r")});
  REQUIRE(p);
  CHECK(run(*p, 'c', 1, 3, "r") == 1);
  CHECK(run(*p, 'c', 1, 3, "rw") == 0);  // write denied by the later rule
  CHECK(run(*p, 'c', 1, 3, "m") == 1);
  CHECK(run(*p, 'c', 1, 5, "r") == 0);  // default deny
  CHECK(run(*p, 'b', 8, 17, "r") == 1);
  CHECK(run(*p, 'b', 8, 17, "w") == 0);
  CHECK(run(*p, 'c', 8, 17, "r") == 0);  // type matters
}

TEST_CASE("an allow-all rule makes the program allow everything not denied after it") {
  auto p = device_filter_program({rule(false, 'c', 1, 3, "rwm"), rule(true, 'a', -1, -1, "rwm"),
                                  rule(false, 'c', 5, 1, "rwm")});
  REQUIRE(p);
  CHECK(run(*p, 'c', 1, 3, "r") == 1);  // the earlier deny is overridden
  CHECK(run(*p, 'c', 5, 1, "r") == 0);
  CHECK(run(*p, 'b', 7, 0, "rwm") == 1);
}

TEST_CASE("runc's defaults allow /dev/null and mknod but not /dev/sda") {
  auto p = device_filter_program(effective_device_rules({rule(false, 'a', -1, -1, "rwm")}));
  REQUIRE(p);
  CHECK(run(*p, 'c', 1, 3, "rw") == 1);
  CHECK(run(*p, 'c', 136, 4, "rw") == 1);
  CHECK(run(*p, 'b', 8, 0, "m") == 1);
  CHECK(run(*p, 'b', 8, 0, "r") == 0);
}
