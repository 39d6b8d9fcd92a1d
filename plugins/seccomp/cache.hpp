// The compiled-program cache: <dir>/<sha256 hex>.bpf, so a profile compiled once (Docker's, on
// every `docker run`) costs one hash and one read afterwards. Entries are written 0600 by
// temp + rename into a 0700 directory; anything corrupt, truncated, foreign, loosely permitted
// or owned by someone else is ignored (and then overwritten by the fresh compile).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "keel/error.hpp"
#include "sha256.hpp"

namespace keel::seccomp {

struct CachedProgram {
  std::string bpf;
  uint32_t flags = 0;
  bool needs_listener = false;
};

// sha256 over plugin version, libseccomp version, kernel machine + release and the JSON text:
// any of them changing may change the program, so each is part of the key.
Sha256::Digest cache_key(std::string_view seccomp_json);

class ProgramCache {
 public:
  explicit ProgramCache(std::string dir) : dir_(std::move(dir)) {}
  std::string path_of(const Sha256::Digest& key) const;
  // nullopt on a miss; `why` (if set) hears the reason an existing entry was not used.
  std::optional<CachedProgram> load(const Sha256::Digest& key,
                                    const std::function<void(std::string_view)>& why) const;
  Result<void> store(const Sha256::Digest& key, const CachedProgram& program) const;

 private:
  Result<void> ensure_dir() const;
  std::string dir_;
};

}  // namespace keel::seccomp
