#include "child.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "keel/fd.hpp"
#include "keel/linux/seccomp_install.hpp"

namespace keel::seccomp::test {

std::string fixture_profile(const std::string& name) {
  std::ifstream in(std::string(KEEL_SOURCE_DIR) + "/tests/fixtures/specs/" + name + ".json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  doc.Parse(text.str().c_str());
  REQUIRE(!doc.HasParseError());
  const auto& seccomp = doc["linux"]["seccomp"];
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  seccomp.Accept(w);
  return buf.GetString();
}

Compiled must_compile(const std::string& json) {
  auto c = compile(json, "", nullptr);
  if (!c) FAIL(c.error().message);
  return *c;
}

long result_of(long rc) {
  return rc < 0 ? -errno : rc;
}

void Reporter::report(int64_t value) const {
  if (write(fd_, &value, sizeof value) != sizeof value) _exit(99);
}

bool ChildOutcome::exited_ok() const {
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
int ChildOutcome::term_signal() const {
  return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

ChildOutcome run_filtered(const Compiled& program, const std::function<void(const Reporter&)>& body,
                          const std::function<void(pid_t)>& parent) {
  int fds[2];
  REQUIRE(pipe2(fds, O_CLOEXEC) == 0);
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    read_end.reset();
    // No core files from the SIGSYS deaths these tests provoke.
    prctl(PR_SET_DUMPABLE, 0);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) _exit(98);
    auto fd = install_filter(program.bpf, program.flags, program.needs_listener);
    if (!fd) _exit(100 + fd.error().code);
    body(Reporter(write_end.get(), fd->get()));
    _exit(0);
  }
  write_end.reset();
  if (parent) parent(pid);
  ChildOutcome out;
  int64_t v;
  while (read(read_end.get(), &v, sizeof v) == sizeof v) out.reports.push_back(v);
  REQUIRE(waitpid(pid, &out.status, 0) == pid);
  return out;
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/keel-seccomp-test-XXXXXX";
  REQUIRE(mkdtemp(tmpl) != nullptr);
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace keel::seccomp::test
