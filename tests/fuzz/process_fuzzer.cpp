// libFuzzer target: a process JSON through the parser `keel exec --process` uses
// (spec::parse_process), then a round trip through to_json.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "keel/spec/parse.hpp"
#include "round_trip.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto process = keel::spec::parse_process(text);
  if (!process) {
    if (process.error().message.empty()) std::abort();  // every error must say something
    return 0;
  }
  std::string json = keel::spec::to_json(*process);
  auto again = keel::spec::parse_process(json);
  if (!again) {
    std::fprintf(stderr, "serialised process does not parse again: %s\n%s\n",
                 again.error().message.c_str(), json.c_str());
    std::abort();
  }
  if (keel::fuzz::without_floats(keel::spec::to_json(*again)) != keel::fuzz::without_floats(json)) {
    std::fprintf(stderr, "serialised process changes on a second round trip:\n%s\n", json.c_str());
    std::abort();
  }
  return 0;
}
