// Test support: temp dirs that remove themselves, installing a test plugin with a chosen owner
// and mode, and one process-wide dir of correctly installed test plugins.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/keel-plugins-test.XXXXXX";
    if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = tmpl;
  }
  TempDir(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Copies libkeel-<name>.so from the build into `dir` (as libkeel-<as>.so when `as` is given),
// owned by `uid`, with `mode`.
inline std::string install_plugin(const std::string& name, const std::string& dir,
                                  mode_t mode = 0644, uid_t uid = 0, const std::string& as = "") {
  std::string file = "libkeel-" + name + ".so";
  std::string to = dir + "/libkeel-" + (as.empty() ? name : as) + ".so";
  fs::copy_file(std::string(TEST_PLUGIN_DIR) + "/" + file, to,
                fs::copy_options::overwrite_existing);
  if (::chown(to.c_str(), uid, 0) != 0 || ::chmod(to.c_str(), mode) != 0) {
    throw std::runtime_error("chown/chmod " + to);
  }
  return to;
}

inline void write_text(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

// Good plugins installed once per process: the loader keeps one file per plugin name for the
// life of the process, so every test that loads "testcg" must load this same file.
inline const TempDir& good_plugins() {
  static TempDir* dir = [] {
    auto* d = new TempDir();
    for (const char* n : {"testcg", "testfilter", "testlabel", "testcriu", "thrower"}) {
      install_plugin(n, d->path());
    }
    std::atexit([] { delete dir; });
    return d;
  }();
  return *dir;
}
