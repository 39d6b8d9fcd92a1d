#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <fstream>
#include <sstream>

#include "keel/cgroup/devices.hpp"

using namespace keel::cgroup;

namespace {

// A tiny interpreter for the instructions the generator emits, so the program's verdicts are
// checked, not its bytes. Jumps outside the program fail the test (the kernel would refuse it).
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
    // The verifier's "uses reserved fields": offsets only on loads and jumps, no register
    // operand on an immediate instruction.
    if (BPF_CLASS(i.code) == BPF_ALU) REQUIRE(i.off == 0);
    if (BPF_CLASS(i.code) != BPF_LDX && BPF_SRC(i.code) == BPF_K) REQUIRE(i.src_reg == 0);
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
        REQUIRE(pc + 1 + i.off < prog.size());
        if (r[i.dst_reg] != src) pc += i.off;
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

DeviceRule allow(char type, int64_t major, int64_t minor, const char* access) {
  return DeviceRule{true, type, major, minor, access};
}
DeviceRule deny(char type, int64_t major, int64_t minor, const char* access) {
  return DeviceRule{false, type, major, minor, access};
}
const DeviceRule kDenyAll = deny('a', -1, -1, "rwm");
const DeviceRule kAllowAll = allow('a', -1, -1, "rwm");

std::vector<bpf_insn> program(const std::vector<DeviceRule>& rules) {
  auto p = device_filter_program(rules);
  REQUIRE_MESSAGE(p, (p ? "" : p.error().message));
  return *p;
}

std::vector<std::string> texts(const DevicePolicy& p) {
  std::vector<std::string> out;
  for (const DeviceRule& r : p.exceptions)
    out.push_back((r.allow ? "allow " : "deny ") + device_rule_text(r));
  return out;
}

}  // namespace

TEST_CASE("partial allow rules for the same device merge, so r then w allows a read-write open") {
  // The bug: each rule was its own block and an open for rw matched neither "r" nor "w".
  auto p = program({kDenyAll, allow('c', 1, 3, "r"), allow('c', 1, 3, "w")});
  CHECK(run(p, 'c', 1, 3, "rw") == 1);
  CHECK(run(p, 'c', 1, 3, "r") == 1);
  CHECK(run(p, 'c', 1, 3, "w") == 1);
  CHECK(run(p, 'c', 1, 3, "m") == 0);
  auto policy = compile_device_rules({kDenyAll, allow('c', 1, 3, "r"), allow('c', 1, 3, "w")});
  REQUIRE(policy);
  CHECK(texts(*policy) == std::vector<std::string>{"allow c 1:3 rw"});
}

TEST_CASE("allow rules with different numbers stay separate: c 1:* r and c 1:3 w do not give rw") {
  // As in the v1 kernel and runc: one exception must cover the whole request.
  auto p = program({kDenyAll, allow('c', 1, -1, "r"), allow('c', 1, 3, "w")});
  CHECK(run(p, 'c', 1, 3, "r") == 1);
  CHECK(run(p, 'c', 1, 3, "w") == 1);
  CHECK(run(p, 'c', 1, 3, "rw") == 0);
  CHECK(run(p, 'c', 1, 7, "r") == 1);
  CHECK(run(p, 'c', 1, 7, "w") == 0);
  CHECK(run(p, 'b', 1, 7, "r") == 0);  // type matters
}

TEST_CASE("a wildcard major or minor matches any number of that device type") {
  auto p = program({kDenyAll, allow('b', -1, 0, "rw"), allow('c', 4, -1, "rwm")});
  CHECK(run(p, 'b', 8, 0, "rw") == 1);
  CHECK(run(p, 'b', 8, 1, "r") == 0);
  CHECK(run(p, 'b', 8, 0, "m") == 0);
  CHECK(run(p, 'c', 4, 64, "rwm") == 1);
  CHECK(run(p, 'c', 5, 64, "r") == 0);
}

TEST_CASE("a type a rule is every device and every access whatever its numbers and access") {
  // runc and the v1 kernel ignore the rest of an "a" rule: allow "a 1:3 r" allows everything.
  auto p = program({kDenyAll, allow('a', 1, 3, "r")});
  CHECK(run(p, 'b', 8, 0, "rwm") == 1);
  CHECK(run(p, 'c', 1, 3, "w") == 1);
  auto q = program({allow('c', 1, 3, "rwm"), deny('a', 7, 7, "m")});
  CHECK(run(q, 'c', 1, 3, "r") == 0);  // the deny-all dropped the earlier allow
}

TEST_CASE("deny all then an allow list: runc's defaults allow /dev/null and mknod, not /dev/sda") {
  auto p = program(effective_device_rules({kDenyAll}));
  CHECK(run(p, 'c', 1, 3, "rw") == 1);
  CHECK(run(p, 'c', 136, 4, "rw") == 1);
  CHECK(run(p, 'c', 10, 200, "rwm") == 1);
  CHECK(run(p, 'b', 8, 0, "m") == 1);
  CHECK(run(p, 'c', 99, 1, "m") == 1);
  CHECK(run(p, 'b', 8, 0, "r") == 0);
  CHECK(run(p, 'c', 99, 1, "r") == 0);
}

TEST_CASE("no rules at all deny everything, as runc's program for an empty list does") {
  auto p = program({});
  CHECK(run(p, 'c', 1, 3, "r") == 0);
}

TEST_CASE("allow all then a deny list: only the listed access is denied") {
  auto p = program({kAllowAll, deny('c', 1, 3, "rwm"), deny('b', 8, -1, "w")});
  CHECK(run(p, 'c', 1, 3, "r") == 0);
  CHECK(run(p, 'c', 1, 5, "rw") == 1);
  CHECK(run(p, 'b', 8, 16, "w") == 0);
  CHECK(run(p, 'b', 8, 16, "r") == 1);
  // runc's devicefilter matches an exception only when it holds every access requested, so a
  // deny of "w" alone does not stop a request for "rw"; we keep that, as runc and crun do.
  CHECK(run(p, 'b', 8, 16, "rw") == 1);
}

TEST_CASE("the last matching rule wins: a later deny takes access away, a later allow gives it") {
  auto p =
      program({kDenyAll, allow('c', 1, 3, "rwm"), deny('c', 1, 3, "w"), allow('b', 8, -1, "r")});
  CHECK(run(p, 'c', 1, 3, "r") == 1);
  CHECK(run(p, 'c', 1, 3, "rw") == 0);
  CHECK(run(p, 'c', 1, 3, "w") == 0);
  CHECK(run(p, 'c', 1, 3, "m") == 1);
  CHECK(run(p, 'c', 1, 5, "r") == 0);
  CHECK(run(p, 'b', 8, 17, "r") == 1);
  CHECK(run(p, 'b', 8, 17, "w") == 0);

  auto q = program({kAllowAll, deny('c', 1, 3, "rwm"), allow('c', 1, 3, "r")});
  CHECK(run(q, 'c', 1, 3, "r") == 1);
  CHECK(run(q, 'c', 1, 3, "w") == 0);

  auto again = program({kDenyAll, allow('c', 1, 3, "rwm"), deny('c', 1, 3, "rwm")});
  CHECK(run(again, 'c', 1, 3, "r") == 0);
}

TEST_CASE("a later allow-all or deny-all replaces everything before it") {
  auto p = program({deny('c', 1, 3, "rwm"), kAllowAll, deny('c', 5, 1, "rwm")});
  CHECK(run(p, 'c', 1, 3, "r") == 1);
  CHECK(run(p, 'c', 5, 1, "r") == 0);
  CHECK(run(p, 'b', 7, 0, "rwm") == 1);
}

TEST_CASE("a deny that would punch a hole in a wildcard allow is refused, naming both rules") {
  auto p = compile_device_rules({kDenyAll, allow('c', 1, -1, "rwm"), deny('c', 1, 3, "w")});
  REQUIRE_FALSE(p);
  CHECK(p.error().message.find("deny c 1:3 w") != std::string::npos);
  CHECK(p.error().message.find("c 1:* rwm") != std::string::npos);
  // No overlap in access: nothing to punch, accepted.
  CHECK(compile_device_rules({kDenyAll, allow('c', 1, -1, "r"), deny('c', 1, 3, "w")}));
  // The same in an allow-all list: allowing one device inside a wildcard deny.
  CHECK_FALSE(compile_device_rules({kAllowAll, deny('b', -1, -1, "r"), allow('b', 8, 0, "r")}));
}

TEST_CASE("a deny on exactly a wildcard exception removes access from it") {
  auto p = program({kDenyAll, allow('c', -1, -1, "rm"), deny('c', -1, -1, "m")});
  CHECK(run(p, 'c', 4, 2, "r") == 1);
  CHECK(run(p, 'c', 4, 2, "m") == 0);
}

TEST_CASE("a rule of unknown type is an error") {
  auto p = compile_device_rules({DeviceRule{true, 'x', 1, 3, "r"}});
  REQUIRE_FALSE(p);
  CHECK(p.error().message.find("type must be a, b or c") != std::string::npos);
}

TEST_CASE("the compiled policy lists merged exceptions sorted by major, minor, type") {
  auto p =
      compile_device_rules({kDenyAll, allow('c', 5, 2, "w"), allow('b', 1, 3, "r"),
                            allow('c', 1, 3, "m"), allow('c', 5, 2, "r"), allow('c', -1, -1, "m")});
  REQUIRE(p);
  CHECK_FALSE(p->default_allow);
  CHECK(texts(*p) == std::vector<std::string>{"allow c *:* m", "allow b 1:3 r", "allow c 1:3 m",
                                              "allow c 5:2 rw"});
}

TEST_CASE("v1 device writes set the default with \"a\" then write every exception") {
  auto white = compile_device_rules({kDenyAll, allow('c', 1, 3, "r"), allow('c', 1, 3, "w")});
  REQUIRE(white);
  using W = std::vector<std::pair<std::string, std::string>>;
  CHECK(v1_device_writes(*white) == W{{"devices.deny", "a"}, {"devices.allow", "c 1:3 rw"}});
  auto black = compile_device_rules({kAllowAll, deny('b', 8, -1, "rwm")});
  REQUIRE(black);
  CHECK(v1_device_writes(*black) == W{{"devices.allow", "a"}, {"devices.deny", "b 8:* rwm"}});
}

TEST_CASE("runc's default device rules come after the spec's") {
  auto rules = effective_device_rules({deny('c', 1, 3, "rwm")});
  REQUIRE(rules.size() == 1 + default_device_rules().size());
  CHECK(device_rule_text(rules[0]) == "c 1:3 rwm");
  CHECK(device_rule_text(rules[1]) == "c *:* m");
  CHECK(device_rule_text(rules.back()) == "c 10:200 rwm");
}

TEST_CASE("a device number beyond 32 bits is an error, not a truncated match") {
  CHECK_FALSE(device_filter_program({kDenyAll, allow('c', int64_t{1} << 33, 0, "r")}));
}

TEST_CASE("every engine's device list in the spec fixtures compiles and allows /dev/null rw") {
  for (const char* name : {"docker-create.json", "ctr-create.json", "podman-create.json",
                           "cri-app-create.json", "cri-sandbox-create.json"}) {
    CAPTURE(name);
    std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/tests/fixtures/specs/" + name);
    std::stringstream text;
    text << in.rdbuf();
    rapidjson::Document doc;
    doc.Parse(text.str().c_str());
    REQUIRE(doc.IsObject());
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    doc["linux"]["resources"].Accept(w);
    auto resources = parse_resources(buf.GetString());
    REQUIRE(resources);
    REQUIRE(resources->devices);
    auto p = program(effective_device_rules(*resources->devices));
    CHECK(run(p, 'c', 1, 3, "rw") == 1);
    CHECK(run(p, 'b', 8, 0, "r") == 0);
  }
}

TEST_CASE("devices.list reads back as a policy: exceptions of an allow-list, or allow-all") {
  auto white = parse_devices_list("c 1:3 rwm\nc 136:* rw\nb *:* m\n");
  REQUIRE(white);
  CHECK_FALSE(white->default_allow);
  CHECK(texts(*white) ==
        std::vector<std::string>{"allow c 1:3 rwm", "allow c 136:* rw", "allow b *:* m"});
  auto black = parse_devices_list("a *:* rwm\n");
  REQUIRE(black);
  CHECK(black->default_allow);
  CHECK(black->exceptions.empty());
  CHECK_FALSE(parse_devices_list("c 1:x rwm\n"));
  auto empty = parse_devices_list("");  // deny-all with no exceptions
  REQUIRE(empty);
  CHECK_FALSE(empty->default_allow);
}

TEST_CASE("a v1 update between allow-lists writes only the difference, never deny-all") {
  using W = std::vector<std::pair<std::string, std::string>>;
  auto current = parse_devices_list("c 1:3 rwm\nc 1:5 rwm\nc 1:9 r\n");
  auto target = compile_device_rules({kDenyAll, allow('c', 1, 3, "rwm"), allow('c', 1, 5, "r"),
                                      allow('c', 1, 9, "rw"), allow('c', 10, 200, "rwm")});
  REQUIRE(current);
  REQUIRE(target);
  CHECK(v1_device_transition(*current, *target) == W{{"devices.deny", "c 1:5 wm"},
                                                     {"devices.allow", "c 1:9 w"},
                                                     {"devices.allow", "c 10:200 rwm"}});
  CHECK(v1_device_transition(*target, *target).empty());
}

TEST_CASE("a v1 change from or to allow-all writes the whole policy") {
  using W = std::vector<std::pair<std::string, std::string>>;
  auto white = compile_device_rules({kDenyAll, allow('c', 1, 3, "rw")});
  auto black = compile_device_rules({kAllowAll, deny('c', 1, 3, "w")});
  REQUIRE(white);
  REQUIRE(black);
  CHECK(v1_device_transition(DevicePolicy{true, {}}, *white) ==
        W{{"devices.deny", "a"}, {"devices.allow", "c 1:3 rw"}});
  CHECK(v1_device_transition(*white, *black) ==
        W{{"devices.allow", "a"}, {"devices.deny", "c 1:3 w"}});
}
