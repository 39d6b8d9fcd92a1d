// The program cache: hits, refusals of bad entries, and what it saves (timings printed).
#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>

#include "cache.hpp"
#include "child.hpp"
#include "compiler.hpp"

using namespace keel::seccomp;
using namespace keel::seccomp::test;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

struct Setup {
  TempDir tmp;
  std::string dir = tmp.path() + "/cache/seccomp";
  std::string json = fixture_profile("docker-create");
  std::string entry = ProgramCache(dir).path_of(cache_key(json));

  Compiled compile_now() {
    auto c = compile(json, dir, nullptr);
    REQUIRE(c.has_value());
    return *c;
  }
};

mode_t mode_of(const std::string& path) {
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

}  // namespace

TEST_CASE("a second compile of the same profile comes from the cache with the same bytes") {
  Setup s;
  Compiled first = s.compile_now();
  CHECK(!first.from_cache);
  CHECK(mode_of(s.entry) == 0600);
  CHECK(mode_of(s.dir) == 0700);
  Compiled second = s.compile_now();
  CHECK(second.from_cache);
  CHECK(second.bpf == first.bpf);
  CHECK(second.flags == first.flags);
  CHECK(second.needs_listener == first.needs_listener);
  // Another profile text is another entry.
  auto other = compile(s.json + " ", s.dir, nullptr);
  REQUIRE(other.has_value());
  CHECK(!other->from_cache);
}

TEST_CASE("corrupt, truncated or foreign cache entries are ignored and rewritten") {
  Setup s;
  Compiled fresh = s.compile_now();
  const std::string good = read_file(s.entry);

  auto flip_last = [](std::string b) { return b.back() ^= 1, b; };
  auto foreign = [](std::string b) { return b[0] = 'X', b; };
  for (const auto& [what, bytes] :
       {std::pair{"flipped program byte", flip_last(good)},
        std::pair{"truncated", good.substr(0, good.size() - 8)},
        std::pair{"header only", good.substr(0, 40)}, std::pair{"foreign magic", foreign(good)},
        std::pair{"empty", std::string()}}) {
    CAPTURE(what);
    write_file(s.entry, bytes);
    chmod(s.entry.c_str(), 0600);
    std::string why;
    CHECK(!ProgramCache(s.dir).load(cache_key(s.json), [&](std::string_view m) { why = m; }));
    CHECK(why.find(s.entry) != std::string::npos);
    Compiled again = s.compile_now();
    CHECK(!again.from_cache);
    CHECK(again.bpf == fresh.bpf);
    CHECK(read_file(s.entry) == good);
  }
}

TEST_CASE("a cache entry readable by others or owned by another user is not trusted") {
  Setup s;
  s.compile_now();
  REQUIRE(chmod(s.entry.c_str(), 0644) == 0);
  CHECK(!s.compile_now().from_cache);
  CHECK(mode_of(s.entry) == 0600);  // rewritten
  CHECK(s.compile_now().from_cache);

  if (geteuid() == 0) {
    REQUIRE(chown(s.entry.c_str(), 4321, 4321) == 0);
    CHECK(!s.compile_now().from_cache);
    struct stat st {};
    REQUIRE(stat(s.entry.c_str(), &st) == 0);
    CHECK(st.st_uid == 0);
  }
}

TEST_CASE("a cache directory writable by others is not used, and compiling still works") {
  Setup s;
  REQUIRE(mkdir((s.tmp.path() + "/cache").c_str(), 0700) == 0);
  REQUIRE(mkdir(s.dir.c_str(), 0777) == 0);
  REQUIRE(chmod(s.dir.c_str(), 0777) == 0);
  std::string why;
  auto c = compile(s.json, s.dir, [&](std::string_view m) { why += m; });
  REQUIRE(c.has_value());
  CHECK(!c->bpf.empty());
  CHECK(access(s.entry.c_str(), F_OK) != 0);
  CHECK(why.find("writable by others") != std::string::npos);
}

TEST_CASE("timing: the Docker profile, compiled vs from the cache") {
  Setup s;
  using clock = std::chrono::steady_clock;
  constexpr int kRuns = 20;
  auto time_it = [&](auto&& f) {
    auto start = clock::now();
    for (int i = 0; i < kRuns; ++i) f();
    return std::chrono::duration<double, std::micro>(clock::now() - start).count() / kRuns;
  };
  double fresh = time_it([&] { REQUIRE(compile(s.json, "", nullptr).has_value()); });
  s.compile_now();
  double cached = time_it([&] { REQUIRE(s.compile_now().from_cache); });
  MESSAGE("docker profile: compile " << fresh << " us, cached " << cached << " us");
  CHECK(cached < fresh);
}
