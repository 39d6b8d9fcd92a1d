// The seccomp syscall filter plugin: libkeel-seccomp.so, compiled with libseccomp.
#include "keel/sdk/plugin.hpp"

#include "compiler.hpp"
#include "features.hpp"
#include "version.hpp"

namespace keel::seccomp {

class SeccompPlugin final : public sdk::SyscallFilterPlugin {
 public:
  Result<void> init(const sdk::Host& host, std::string_view) override {
    host_ = host;
    return {};
  }

  Result<Program> compile(std::string_view seccomp, std::string_view cache_dir) override {
    auto compiled =
        seccomp::compile(seccomp, cache_dir, [this](std::string_view m) { host_.log(0, m); });
    if (!compiled) return std::unexpected(compiled.error());
    return Program{std::move(compiled->bpf), compiled->flags, compiled->needs_listener};
  }

  Result<std::string> features() override { return features_json(); }

 private:
  sdk::Host host_;
};

}  // namespace keel::seccomp

KEEL_PLUGIN(KEEL_PLUGIN_SYSCALL_FILTER, keel::seccomp::SeccompPlugin, "seccomp", "0.1.0")
