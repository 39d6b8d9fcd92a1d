// A checkpointer built with the SDK.
#include "keel/sdk/plugin.hpp"

class GoodCheckpointer : public keel::sdk::CheckpointerPlugin {
 public:
  keel::Result<void> check() override { return {}; }
  keel::Result<void> dump(std::string_view request) override {
    if (request.empty()) return keel::fail("dump: empty request");
    return {};
  }
  keel::Result<std::string> restore(std::string_view request) override {
    return "{\"restored\":" + std::string(request) + "}";
  }
};

KEEL_PLUGIN(KEEL_PLUGIN_CHECKPOINTER, GoodCheckpointer, "testcriu", "0.9.0")
