// Every config the real engines send parses, and survives a to_json round trip unchanged.
#include <doctest/doctest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include "keel/spec/parse.hpp"
#include "test_util.hpp"

namespace fs = std::filesystem;
using namespace keel::spec;
using keel::spec::test::fixture;
using keel::spec::test::read_file;

TEST_CASE("every engine config fixture parses and round-trips through to_json") {
  int configs = 0;
  for (const auto& entry : fs::directory_iterator(fixture("specs"))) {
    const std::string name = entry.path().filename();
    if (entry.path().extension() != ".json" || name == "docker-exec-process.json") continue;
    CAPTURE(name);
    auto c = parse_config(read_file(entry.path()));
    REQUIRE_MESSAGE(c.has_value(), c.error().message);
    CHECK(c->oci_version == "1.0.2-dev");
    REQUIRE(c->process);
    CHECK_FALSE(c->process->args.empty());
    REQUIRE(c->linux);
    CHECK_FALSE(c->resources_json.empty());

    auto again = parse_config(to_json(*c));
    REQUIRE_MESSAGE(again.has_value(), again.error().message);
    CHECK(*again == *c);
    CHECK(to_json(*again) == to_json(*c));
    ++configs;
  }
  CHECK(configs == 7);
}

TEST_CASE("docker's exec process JSON parses through parse_process and round-trips") {
  auto p = parse_process(read_file(fixture("specs/docker-exec-process.json")));
  REQUIRE_MESSAGE(p.has_value(), p.error().message);
  CHECK(p->args == std::vector<std::string>{"echo", "exec-hello"});
  CHECK(p->cwd == "/");
  REQUIRE(p->capabilities);
  CHECK(p->capabilities->bounding.size() == 14);
  CHECK(p->oom_score_adj == 0);
  auto again = parse_process(to_json(*p));
  REQUIRE_MESSAGE(again.has_value(), again.error().message);
  CHECK(*again == *p);
}

TEST_CASE("the seccomp profile and resources of docker's config are kept as raw JSON") {
  auto c = parse_config(read_file(fixture("specs/docker-create.json")));
  REQUIRE_MESSAGE(c.has_value(), c.error().message);
  REQUIRE(c->linux->seccomp);
  CHECK(c->seccomp_json.starts_with("{\"defaultAction\":\"SCMP_ACT_ERRNO\""));
  CHECK(c->resources_json.find("\"devices\":[") != std::string::npos);
  // The typed model and the raw text describe the same subtree.
  CHECK(parse_config(to_json(*c))->linux->seccomp == c->linux->seccomp);
}

TEST_CASE("load_config reads <bundle>/config.json and names the file in errors") {
  char tmpl[] = "/tmp/keel-spec-test-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  const fs::path bundle = tmpl;
  fs::copy_file(fixture("specs/ctr-create.json"), bundle / "config.json");
  auto c = load_config(bundle);
  CHECK_MESSAGE(c.has_value(), (c ? "" : c.error().message));

  fs::remove(bundle / "config.json");
  auto missing = load_config(bundle);
  REQUIRE_FALSE(missing.has_value());
  CHECK(missing.error().code == ENOENT);
  CHECK(missing.error().message ==
        "open " + (bundle / "config.json").string() + ": No such file or directory");

  {
    std::ofstream out(bundle / "config.json");
    out << R"({"ociVersion": "1.0.0", "root": {"path": 7}})";
  }
  auto bad = load_config(bundle);
  REQUIRE_FALSE(bad.has_value());
  CHECK(bad.error().message ==
        (bundle / "config.json").string() + ": root.path: expected a string");
  fs::remove_all(bundle);
}
