// File helpers for cgroup trees.
#include "keel/cgroup/fs.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <chrono>
#include <thread>

#include "keel/fd.hpp"

namespace keel::cgroup {

std::string join(std::string_view dir, std::string_view rel) {
  std::string out(dir);
  while (!rel.empty() && rel.front() == '/') rel.remove_prefix(1);
  if (rel.empty()) return out;
  if (out.empty() || out.back() != '/') out += '/';
  out += rel;
  return out;
}

Result<void> write_file(const std::string& dir, std::string_view file, std::string_view value) {
  std::string path = join(dir, file);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_TRUNC));
  auto failed = [&](int err) {
    return std::unexpected(
        Error{err, "writing " + path + ": \"" + std::string(value) + "\": " + std::strerror(err)});
  };
  if (!fd) return failed(errno);
  ssize_t n = ::write(fd.get(), value.data(), value.size());
  if (n < 0) return failed(errno);
  if (static_cast<size_t>(n) != value.size()) return failed(EIO);
  return {};
}

Result<void> write_each(const std::string& dir, std::string_view file,
                        const std::vector<std::string>& values) {
  std::string path = join(dir, file);
  UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC | O_TRUNC));
  for (const std::string& value : values) {
    auto failed = [&](int err) {
      return std::unexpected(
          Error{err, "writing " + path + ": \"" + value + "\": " + std::strerror(err)});
    };
    if (!fd) return failed(errno);
    std::string line = value + '\n';
    ssize_t n = ::write(fd.get(), line.data(), line.size());
    if (n < 0) return failed(errno);
    if (static_cast<size_t>(n) != line.size()) return failed(EIO);
  }
  return {};
}

Result<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return sys_error("reading " + path);
  std::string out;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return sys_error("reading " + path);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Result<uint64_t> read_u64(const std::string& path) {
  auto text = read_file(path);
  if (!text) return std::unexpected(text.error());
  std::string_view s = *text;
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.remove_suffix(1);
  if (s == "max") return UINT64_MAX;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) {
    // Negative values (e.g. "-1" in some v1 files) read as unlimited.
    if (!s.empty() && s.front() == '-') return UINT64_MAX;
    return fail("reading " + path + ": not a number: \"" + std::string(s) + "\"");
  }
  return v;
}

bool exists(const std::string& path) {
  return ::access(path.c_str(), F_OK) == 0;
}

// The leaf first, parents only when it is missing: with the usual existing parents that is one
// mkdir per hierarchy instead of one per path component (60 -> 12 calls on a v1 host).
Result<void> mkdir_p(const std::string& dir, std::vector<std::string>* created) {
  if (dir.empty() || dir == "/") return {};
  if (::mkdir(dir.c_str(), 0755) == 0) {
    if (created) created->push_back(dir);
    return {};
  }
  if (errno == EEXIST) return {};
  if (errno != ENOENT) return sys_error("creating cgroup directory " + dir);
  size_t slash = dir.find_last_of('/');
  if (slash == std::string::npos || slash == 0)
    return sys_error("creating cgroup directory " + dir);
  if (auto r = mkdir_p(dir.substr(0, slash), created); !r) return r;
  if (::mkdir(dir.c_str(), 0755) == 0) {
    if (created) created->push_back(dir);
  } else if (errno != EEXIST) {
    return sys_error("creating cgroup directory " + dir);
  }
  return {};
}

namespace {

Result<void> rmdir_retrying(const std::string& dir) {
  // The kernel reports EBUSY while exiting tasks are still being reaped; a short, bounded wait
  // covers that. Never loop forever: a cgroup with live tasks stays busy.
  auto delay = std::chrono::milliseconds(10);
  for (int attempt = 0;; ++attempt) {
    if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return {};
    if (errno != EBUSY || attempt >= 7) return sys_error("removing cgroup " + dir);
    std::this_thread::sleep_for(delay);
    delay *= 2;
  }
}

}  // namespace

Result<void> remove_cgroup(const std::string& dir) {
  // The usual case, a leaf whose tasks are gone, needs one rmdir: list children only when the
  // kernel says there are some (a cgroup dir lists dozens of control files).
  if (::rmdir(dir.c_str()) == 0 || errno == ENOENT) return {};
  if (errno != ENOTEMPTY && errno != EBUSY) return sys_error("removing cgroup " + dir);
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT) return {};
    return sys_error("opening cgroup " + dir);
  }
  std::vector<std::string> children;
  while (dirent* e = ::readdir(d)) {
    std::string_view name = e->d_name;
    if (e->d_type == DT_DIR && name != "." && name != "..") children.push_back(join(dir, name));
  }
  ::closedir(d);
  for (const auto& child : children) {
    if (auto r = remove_cgroup(child); !r) return r;
  }
  return rmdir_retrying(dir);
}

std::vector<std::pair<std::string, uint64_t>> parse_flat_keyed(std::string_view text) {
  std::vector<std::pair<std::string, uint64_t>> out;
  while (!text.empty()) {
    size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos) continue;
    std::string_view value = line.substr(sp + 1);
    uint64_t v = 0;
    if (value == "max") {
      v = UINT64_MAX;
    } else if (std::from_chars(value.data(), value.data() + value.size(), v).ec != std::errc()) {
      continue;
    }
    out.emplace_back(std::string(line.substr(0, sp)), v);
  }
  return out;
}

}  // namespace keel::cgroup
