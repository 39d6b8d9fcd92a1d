// SHA-256 (FIPS 180-4), small and dependency-free: the cache key and the cache checksum.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace keel::seccomp {

class Sha256 {
 public:
  using Digest = std::array<uint8_t, 32>;
  Sha256();
  Sha256& update(std::string_view data);
  Digest finish();

 private:
  void block(const uint8_t* p);
  std::array<uint32_t, 8> h_;
  std::array<uint8_t, 64> buf_{};
  size_t used_ = 0;
  uint64_t total_ = 0;
};

Sha256::Digest sha256(std::string_view data);
std::string hex(const Sha256::Digest& d);

}  // namespace keel::seccomp
