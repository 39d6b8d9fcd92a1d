// A temp directory laid out like a cgroup tree: plain files stand in for the kernel's, so the
// writers can be checked by reading back what they wrote.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

class TempTree {
 public:
  TempTree() {
    char tmpl[] = "/tmp/keel-cgroup-unit-XXXXXX";
    root_ = ::mkdtemp(tmpl);
  }
  ~TempTree() { std::filesystem::remove_all(root_); }
  TempTree(const TempTree&) = delete;
  TempTree& operator=(const TempTree&) = delete;

  const std::string& root() const { return root_; }
  std::string path(const std::string& rel) const { return root_ + "/" + rel; }

  // Creates rel (and its parent dirs) with `content`.
  void put(const std::string& rel, const std::string& content = "") const {
    std::filesystem::create_directories(std::filesystem::path(path(rel)).parent_path());
    std::ofstream(path(rel)) << content;
  }
  void mkdir(const std::string& rel) const { std::filesystem::create_directories(path(rel)); }
  // Content without the trailing newline; "<missing>" when the file does not exist.
  std::string get(const std::string& rel) const {
    std::ifstream in(path(rel));
    if (!in) return "<missing>";
    std::stringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
  }
  bool has(const std::string& rel) const { return std::filesystem::exists(path(rel)); }

 private:
  std::string root_;
};
