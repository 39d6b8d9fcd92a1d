#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <filesystem>

#include "run_binary.hpp"

namespace {

std::string find_runc() {
  for (const char* p : {"/usr/sbin/runc", "/usr/bin/runc", "/usr/local/sbin/runc"})
    if (::access(p, X_OK) == 0) return p;
  return "";
}

void check_same_spec(const std::vector<std::string>& flags) {
  std::string runc = find_runc();
  if (runc.empty()) {
    MESSAGE("runc is not installed: skipping the comparison with runc spec");
    return;
  }
  TempDir a, b;
  REQUIRE(run_keel(flags, KEEL_BINARY, a.path).code == 0);
  REQUIRE(run_program(runc, flags, b.path).code == 0);
  std::string ours = read_file(a.path + "/config.json");
  std::string theirs = read_file(b.path + "/config.json");
  rapidjson::Document x, y;
  x.Parse(ours.c_str());
  y.Parse(theirs.c_str());
  REQUIRE(!x.HasParseError());
  REQUIRE(!y.HasParseError());
  CHECK(x == y);          // field by field
  CHECK(ours == theirs);  // and byte for byte (no documented differences)
}

}  // namespace

TEST_CASE("keel spec writes the same config.json as runc spec") {
  check_same_spec({"spec"});
}

TEST_CASE("keel spec --rootless writes the same config.json as runc spec --rootless") {
  check_same_spec({"spec", "--rootless"});
}

TEST_CASE("spec refuses to overwrite config.json and honours --bundle") {
  TempDir dir;
  REQUIRE(run_keel({"spec", "-b", dir.path}).code == 0);
  CHECK(std::filesystem::exists(dir.path + "/config.json"));
  auto again = run_keel({"spec", "--bundle", dir.path});
  CHECK(again.code == 1);
  CHECK(again.err.find("File config.json exists. Remove it first") != std::string::npos);
}
