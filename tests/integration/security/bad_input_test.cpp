// Hostile or broken config.json fed to `keel run`: every case exits 1 with an error as the last
// stderr line and leaves no state dir, cgroup, mount or process behind.
#include <doctest/doctest.h>

#include <string>

#include "harness.hpp"
#include "security_util.hpp"

using namespace keel::test;
using namespace keel::test::security;

namespace {

std::string last_line(const std::string& text) {
  auto end = text.find_last_not_of('\n');
  if (end == std::string::npos) return "";
  auto start = text.rfind('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1,
                     end - (start == std::string::npos ? 0 : start + 1) + 1);
}

std::string big_array(int n, const std::string& item) {
  std::string s = "[";
  for (int i = 0; i < n; ++i) s += (i ? "," : "") + item;
  return s + "]";
}

}  // namespace

TEST_CASE(
    "bad config.json: truncated, wrong types, huge arrays, 1 MiB strings, invalid UTF-8 "
    "and negative ids all exit 1 with an error line and leave nothing behind") {
  struct Case {
    const char* name;
    void (*edit)(Bundle&);
  };
  const Case cases[] = {
      {"truncated",
       [](Bundle& b) {
         auto text = b.config();
         write_file(b.config_path(), text.substr(0, text.size() / 2));
       }},
      {"empty file", [](Bundle& b) { write_file(b.config_path(), ""); }},
      {"not an object", [](Bundle& b) { write_file(b.config_path(), "[1,2,3]"); }},
      {"args is a number", [](Bundle& b) { b.set("/process/args", "5"); }},
      {"uid is a string", [](Bundle& b) { b.set("/process/user/uid", "\"0\""); }},
      {"mounts is an object", [](Bundle& b) { b.set("/mounts", "{}"); }},
      {"negative uid", [](Bundle& b) { b.set("/process/user/uid", "-1"); }},
      {"negative gid", [](Bundle& b) { b.set("/process/user/gid", "-5"); }},
      {"uid above 32 bits", [](Bundle& b) { b.set("/process/user/uid", "4294967296"); }},
      {"100000 additional gids",
       [](Bundle& b) { b.set("/process/user/additionalGids", big_array(100000, "7")); }},
      {"20000 bogus mounts",
       [](Bundle& b) {
         b.set("/mounts", big_array(20000, R"({"destination":"relative","type":"nosuchfs"})"));
       }},
      {"1 MiB hostname",
       [](Bundle& b) { b.set("/hostname", "\"" + std::string(1 << 20, 'h') + "\""); }},
      {"1 MiB cwd",
       [](Bundle& b) { b.set("/process/cwd", "\"/" + std::string(1 << 20, 'c') + "\""); }},
      {"invalid UTF-8 in the program name",
       [](Bundle& b) { b.set("/process/args", "[\"/bin/\xff\xfe\"]"); }},
      {"invalid UTF-8 in a mount type",
       [](Bundle& b) {
         b.append("/mounts", "{\"destination\":\"/mnt\",\"type\":\"\xc3\x28\",\"source\":\"x\"}");
       }},
      {"rootfs missing", [](Bundle& b) { b.set("/root/path", "\"no-such-rootfs\""); }},
      // Found by the fuzzer: RapidJSON stores a lone low surrogate as invalid UTF-8, so the
      // config saved in state.json would not parse again (exec, hooks, cleanup would fail).
      {"lone low surrogate in an env var",
       [](Bundle& b) { b.append("/process/env", R"("X=\udddd")"); }},
  };
  for (const auto& c : cases) {
    std::string name = c.name;
    CAPTURE(name);
    Bundle b("bad");
    c.edit(b);
    int mounts = mount_count();
    auto r = b.run({}, with_timeout(30s));
    CHECK_FALSE(r.timed_out);
    CHECK(r.exit_code == 1);
    auto line = last_line(r.err);
    INFO("last stderr line: " << line.substr(0, 300));
    CHECK(line.size() > 10);
    CHECK(line.size() < 16384);  // an error line, not the whole 1 MiB input echoed back
    CHECK_FALSE(path_exists(b.state_root() + "/" + b.id()));
    CHECK(keel_test_cgroups(b.id()).empty());
    CHECK(mount_count() == mounts);
  }
}
