// libFuzzer target: config.json text through the parser and validator `keel create` uses
// (spec::parse_config), then the round trip create relies on: the stored to_json(config) must
// parse again (start, exec and delete re-read it from state.json) and serialise the same (but
// for floating-point numbers: see round_trip.hpp).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "keel/spec/parse.hpp"
#include "round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = keel::spec::parse_config(text);
  if (!config) {
    if (config.error().message.empty()) std::abort();  // every error must say something
    return 0;
  }
  std::string stored = keel::spec::to_json(*config);
  auto again = keel::spec::parse_config(stored);
  if (!again) {
    std::fprintf(stderr, "stored config does not parse again: %s\n%s\n",
                 again.error().message.c_str(), stored.c_str());
    std::abort();
  }
  if (keel::fuzz::without_floats(keel::spec::to_json(*again)) !=
      keel::fuzz::without_floats(stored)) {
    std::fprintf(stderr, "stored config changes on a second round trip:\n%s\n", stored.c_str());
    std::abort();
  }
  return 0;
}
