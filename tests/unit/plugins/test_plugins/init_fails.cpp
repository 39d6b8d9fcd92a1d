// A labeler whose init refuses its options.
#include "keel/sdk/plugin.hpp"

class InitFails : public keel::sdk::LabelerPlugin {
 public:
  keel::Result<void> init(const keel::sdk::Host&, std::string_view) override {
    return keel::fail("missing option \"profile\"");
  }
  bool enabled() override { return false; }
  keel::Result<void> validate(std::string_view) override { return {}; }
  keel::Result<void> set_exec_label(std::string_view) override { return {}; }
  keel::Result<std::string> mount_option(std::string_view) override { return std::string(); }
  keel::Result<void> set_keyring_label(std::string_view) override { return {}; }
};

KEEL_PLUGIN(KEEL_PLUGIN_LABELER, InitFails, "initfails", "0.1.0")
