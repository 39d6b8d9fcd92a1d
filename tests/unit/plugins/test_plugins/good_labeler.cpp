// A labeler built with the SDK whose init reads its options and logs through the host.
#include <string>

#include "keel/sdk/plugin.hpp"

class GoodLabeler : public keel::sdk::LabelerPlugin {
 public:
  keel::Result<void> init(const keel::sdk::Host& host, std::string_view options) override {
    options_ = std::string(options);
    host.log(0, "init with " + options_);
    return {};
  }
  bool enabled() override { return true; }
  keel::Result<void> validate(std::string_view label) override {
    if (label == "missing") return keel::fail("profile \"missing\" is not loaded", ENOENT);
    return {};
  }
  keel::Result<void> set_exec_label(std::string_view) override { return {}; }
  keel::Result<std::string> mount_option(std::string_view mount_label) override {
    if (mount_label.empty()) return std::string();
    // Echo the options so the test sees what init was given.
    return "context=\"" + std::string(mount_label) + "\" options=" + options_;
  }
  keel::Result<void> set_keyring_label(std::string_view) override { return {}; }

 private:
  std::string options_;
};

KEEL_PLUGIN(KEEL_PLUGIN_LABELER, GoodLabeler, LABELER_NAME, "0.3.0")
