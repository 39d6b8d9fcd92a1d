// A syscall filter built with the SDK: returns a fixed one-instruction program (RET ALLOW).
#include "keel/sdk/plugin.hpp"

class GoodFilter : public keel::sdk::SyscallFilterPlugin {
 public:
  keel::Result<Program> compile(std::string_view seccomp, std::string_view cache_dir) override {
    if (seccomp.empty()) return keel::fail("linux.seccomp: expected an object");
    Program p;
    const unsigned char ret_allow[8] = {0x06, 0, 0, 0, 0, 0, 0xff, 0x7f};
    p.bpf.assign(reinterpret_cast<const char*>(ret_allow), sizeof ret_allow);
    p.flags = cache_dir.empty() ? 1 : 2;
    p.needs_listener = seccomp.find("SCMP_ACT_NOTIFY") != std::string_view::npos;
    return p;
  }
  keel::Result<std::string> features() override { return std::string("{\"enabled\":true}"); }
};

KEEL_PLUGIN(KEEL_PLUGIN_SYSCALL_FILTER, GoodFilter, "testfilter", "2.0.0")
