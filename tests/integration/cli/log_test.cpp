#include <doctest/doctest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>

#include <sstream>

#include "run_binary.hpp"

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("--log --log-format json appends parseable lines and the last one is the error") {
  TempDir dir;
  std::string log = dir.path + "/log.json";
  auto first = run_keel(
      {"--root", dir.path, "--log", log, "--log-format=json", "--criu", "x", "state", "nope"});
  CHECK(first.code == 1);
  CHECK(first.err == "container does not exist\n");  // like runc: the bare message on stderr too
  run_keel({"--root", dir.path, "--log", log, "--log-format", "json", "kill", "c1", "SIGNOPE"});
  auto all = lines(read_file(log));
  REQUIRE(all.size() == 3);  // the --criu warning, then two errors: appended, not truncated
  for (const auto& l : all) {
    rapidjson::Document doc;
    doc.Parse(l.c_str());
    REQUIRE_MESSAGE(doc.IsObject(), l);
    CHECK(doc.HasMember("level"));
    CHECK(doc.HasMember("msg"));
    CHECK(doc.HasMember("time"));
    CHECK(doc.MemberCount() == 3);
  }
  CHECK(all[0].starts_with("{\"level\":\"warning\",\"msg\":\"--criu is ignored"));
  CHECK(
      all[1].starts_with("{\"level\":\"error\",\"msg\":\"container does not exist\",\"time\":\""));
  CHECK(all[2].starts_with("{\"level\":\"error\",\"msg\":\"unknown signal \\\"SIGNOPE\\\"\""));
  struct stat sb;
  REQUIRE(::stat(log.c_str(), &sb) == 0);
  CHECK((sb.st_mode & 0777) == 0644);
}

TEST_CASE("text logs go to stderr in logrus's format; debug lines only with --debug") {
  TempDir dir;
  auto r = run_keel({"--root", dir.path, "state", "nope"});
  CHECK(r.err.starts_with("time=\""));
  CHECK(r.err.find("Z\" level=error msg=\"container does not exist\"\n") != std::string::npos);
  auto quiet = run_keel({"--root", dir.path, "list"});
  CHECK(quiet.err.empty());
}

TEST_CASE("a successful command with --log writes nothing to the log") {
  TempDir dir;
  std::string log = dir.path + "/log.json";
  auto r = run_keel({"--root", dir.path, "--log", log, "--log-format", "json", "list"});
  CHECK(r.code == 0);
  CHECK(read_file(log).empty());
}
