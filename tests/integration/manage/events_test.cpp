// events: one stats line with --stats, a stream of stats and OOM events that ends with the
// container.
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <sstream>

#include "harness.hpp"
#include "manage_util.hpp"

using namespace keel::test;

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("events --stats prints one runc-shaped stats line with cpu, memory and pids") {
  Bundle b("ev");
  b.set_command("while true; do sleep 0.2; done");
  b.set("/linux/resources/memory", R"({"limit":67108864})");
  start_running(b);
  auto r = b.keel({"events", "--stats", b.id()});
  REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  auto lines = lines_of(r.out);
  REQUIRE(lines.size() == 1);
  rapidjson::Document doc;
  doc.Parse(lines[0].c_str());
  REQUIRE_FALSE(doc.HasParseError());
  CHECK(std::string(doc["type"].GetString()) == "stats");
  CHECK(std::string(doc["id"].GetString()) == b.id());
  const auto& data = doc["data"];
  for (const char* key : {"cpu", "memory", "pids", "blkio", "hugetlb", "network_interfaces"})
    CHECK_MESSAGE(data.HasMember(key), key);
  CHECK(data["cpu"]["usage"]["total"].GetUint64() > 0);
  CHECK(data["memory"]["usage"]["limit"].GetUint64() == 67108864);
  CHECK(data["pids"]["current"].GetUint64() >= 1);
  CHECK(data["network_interfaces"].IsNull());  // only lo in the container's netns
}

TEST_CASE("events --stats with several ids prints one line per container") {
  Bundle a("ev"), b("ev");
  a.set_command("sleep 30");
  start_running(a);
  b.set_command("sleep 30");
  // Both containers under one --root: b lives in a's state dir, deleted from there at the end.
  struct Guard {
    const Bundle& root;
    std::string id;
    ~Guard() { root.keel({"delete", "--force", id}); }
  } guard{a, b.id()};
  auto c = a.keel({"create", "--bundle", b.dir(), b.id()});
  REQUIRE_MESSAGE(c.exit_code == 0, c.err);
  REQUIRE(a.keel({"start", b.id()}).exit_code == 0);
  auto r = a.keel({"events", "--stats", a.id(), b.id()});
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(lines_of(r.out).size() == 2);
  auto all = a.keel({"events", "--stats", "--all"});
  CHECK_MESSAGE(all.exit_code == 0, all.err);
  CHECK(lines_of(all.out).size() == 2);
}

TEST_CASE("events streams stats every --interval and exits when the container stops") {
  Bundle b("ev");
  b.set_command("sleep 3");
  start_running(b);
  RunOptions opts;
  opts.timeout = std::chrono::seconds(20);
  auto r = b.keel({"events", "--interval", "500ms", b.id()}, opts);
  CHECK_FALSE(r.timed_out);
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  auto lines = lines_of(r.out);
  CHECK(lines.size() >= 3);
  for (const auto& line : lines) CHECK(contains(line, "\"type\":\"stats\""));
}

TEST_CASE("events reports an OOM kill under an 8M memory limit (memory.events on v2)") {
  Bundle b("ev");
  b.set("/linux/resources/memory", R"({"limit":8388608})");
  // Gives events a second to register, then doubles a string until the OOM killer strikes.
  b.set_command("sleep 1; x=a; while true; do x=$x$x; done");
  start_running(b);
  RunOptions opts;
  opts.timeout = std::chrono::seconds(30);
  auto r = b.keel({"events", "--interval", "10s", b.id()}, opts);
  CHECK_FALSE(r.timed_out);
  CHECK_MESSAGE(r.exit_code == 0, r.err);
  CHECK(contains(r.out, "{\"type\":\"oom\",\"id\":\"" + b.id() + "\"}\n"));
  if (cgroup_v2_host()) {
    std::string events = cgroup_value(b, "memory", "memory.events");
    CHECK_MESSAGE(keyed_value(events, "oom_kill") >= 1, events);
  } else {
    CHECK(std::stoull(cgroup_value(b, "memory", "memory.failcnt")) > 0);
  }
  CHECK(b.wait_status("stopped"));
}

TEST_CASE("events on a stopped container and with a zero interval: runc's errors") {
  Bundle b("ev");
  b.set_command("true");
  run_to_stopped(b);
  auto s = b.keel({"events", "--stats", b.id()});
  CHECK(s.exit_code == 1);
  CHECK(contains(s.err, "container with id " + b.id() + " is not running"));
  auto z = b.keel({"events", "--interval", "0s", b.id()});
  CHECK(z.exit_code == 1);
  CHECK(contains(z.err, "duration interval must be greater than 0"));
}
