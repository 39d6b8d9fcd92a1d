// Runs a program (the built keel by default) and captures its exit code, stdout and stderr.
#pragma once

#include <string>
#include <vector>

struct Ran {
  int code = -1;
  std::string out, err;
};

Ran run_keel(const std::vector<std::string>& args, const std::string& argv0 = KEEL_BINARY,
             const std::string& cwd = "");
Ran run_program(const std::string& path, const std::vector<std::string>& args,
                const std::string& cwd = "");

struct TempDir {
  std::string path;
  TempDir();
  ~TempDir();
};

std::string read_file(const std::string& path);
