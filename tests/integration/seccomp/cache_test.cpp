// The seccomp program cache: a second create with the same profile under the same --root must
// reuse the compiled program stored under the runtime root instead of compiling again.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <filesystem>

#include "harness.hpp"
#include "seccomp_fixture.hpp"

using namespace keel::test;

namespace {

// Every *.bpf file below `root` (the plugin names cache entries <sha256>.bpf).
std::vector<std::string> cache_entries(const std::string& root) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto& e : std::filesystem::recursive_directory_iterator(root, ec))
    if (e.path().extension() == ".bpf") out.push_back(e.path());
  return out;
}

}  // namespace

TEST_CASE("the second create with the same profile reuses the cache file under the root") {
  Bundle first;
  std::string profile = fixture_seccomp("docker-create.json");
  first.set("/linux/seccomp", profile);
  REQUIRE(first.create().exit_code == 0);
  auto entries = cache_entries(first.state_root());
  if (entries.size() != 1)
    MESSAGE("runtime bug: no seccomp cache entry under --root ", first.state_root(),
            " (core/src/linux/launch.cpp launch_container passes an empty cache_dir to "
            "compile_seccomp)");
  REQUIRE(entries.size() == 1);
  struct stat before;
  REQUIRE(::stat(entries[0].c_str(), &before) == 0);

  // A second container, same root and profile: the entry is read, not rewritten.
  Bundle second;
  second.set("/linux/seccomp", profile);
  auto r =
      run_keel({"--root", first.state_root(), "create", "--bundle", second.dir(), second.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  CHECK(cache_entries(first.state_root()) == entries);
  struct stat after;
  REQUIRE(::stat(entries[0].c_str(), &after) == 0);
  CHECK(after.st_ino == before.st_ino);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  run_keel({"--root", first.state_root(), "delete", "--force", second.id()});
}
