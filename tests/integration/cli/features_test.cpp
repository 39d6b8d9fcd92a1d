#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include "run_binary.hpp"

TEST_CASE("features prints runc's JSON shape with keel's annotations") {
  auto r = run_keel({"features"});
  REQUIRE(r.code == 0);
  CHECK(r.out.starts_with(
      "{\n    \"ociVersionMin\": \"1.0.0\",\n    \"ociVersionMax\": \"1.3.0\",\n"));
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  REQUIRE(!doc.HasParseError());
  for (const char* k :
       {"ociVersionMin", "ociVersionMax", "hooks", "mountOptions", "linux", "annotations"})
    CHECK_MESSAGE(doc.HasMember(k), k);
  const auto& linux = doc["linux"];
  for (const char* k : {"namespaces", "capabilities", "seccomp", "apparmor", "selinux"})
    CHECK_MESSAGE(linux.HasMember(k), k);
  CHECK(linux["seccomp"].HasMember("enabled"));
  CHECK(std::string(linux["capabilities"][0].GetString()) == "CAP_CHOWN");
  CHECK(linux["capabilities"].Size() >= 38);
  const auto& ann = doc["annotations"];
  CHECK(ann.HasMember("org.opencontainers.runc.version"));
  CHECK(ann.HasMember("io.github.keel.version"));
  CHECK(ann.HasMember("io.github.keel.commit"));
  CHECK(run_keel({"features", "extra"}).code == 1);
}
