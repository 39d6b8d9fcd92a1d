#include "run_binary.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

TempDir::TempDir() {
  char tmpl[] = "/tmp/keel-cli-test-XXXXXX";
  path = ::mkdtemp(tmpl);
}
TempDir::~TempDir() {
  std::filesystem::remove_all(path);
}

namespace {

Ran spawn(const std::string& exe, const std::string& argv0, const std::vector<std::string>& args,
          const std::string& cwd) {
  TempDir io;
  std::string out = io.path + "/out", err = io.path + "/err";
  pid_t pid = ::fork();
  if (pid == 0) {
    int o = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    ::dup2(o, 1);
    ::dup2(e, 2);
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(argv0.c_str()));
    for (auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(exe.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return Ran{WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status), read_file(out),
             read_file(err)};
}

}  // namespace

Ran run_keel(const std::vector<std::string>& args, const std::string& argv0,
             const std::string& cwd) {
  return spawn(argv0 == KEEL_BINARY ? KEEL_BINARY : argv0, argv0, args, cwd);
}

Ran run_program(const std::string& path, const std::vector<std::string>& args,
                const std::string& cwd) {
  return spawn(path, path, args, cwd);
}
