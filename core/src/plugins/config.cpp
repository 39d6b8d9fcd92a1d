// keel.json and its drop-ins: read, validate field by field, merge in name order.
// Every error names the file and either the line/column (syntax) or the field (schema).
#include <dirent.h>
#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "keel/fd.hpp"
#include "keel/plugins.hpp"

namespace keel {

namespace {

constexpr const char* kDefaultConfig = "/etc/keel/keel.json";
constexpr const char* kKnownKeys[] = {"pluginDirs",    "cgroupManager", "systemdCgroupManager",
                                      "syscallFilter", "labelers",      "checkpointer",
                                      "plugins"};

using Value = rapidjson::Value;

// Reads a whole file; ENOENT is reported as such so the caller can decide it means defaults.
Result<std::string> read_file(const std::string& path) {
  UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd) return sys_error("reading " + path);
  std::string text;
  char buf[8192];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys_error("reading " + path);
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  return text;
}

// RapidJSON reports a byte offset; people want line and column (both 1-based).
std::string line_col(const std::string& text, size_t offset) {
  offset = std::min(offset, text.size());
  auto begin = text.begin(), at = text.begin() + static_cast<std::ptrdiff_t>(offset);
  size_t line = 1 + static_cast<size_t>(std::count(begin, at, '\n'));
  size_t line_start = 0;
  for (size_t i = offset; i > 0; --i) {
    if (text[i - 1] == '\n') {
      line_start = i;
      break;
    }
  }
  size_t col = offset - line_start + 1;
  return "line " + std::to_string(line) + " column " + std::to_string(col);
}

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

// Plugin names become file names (libkeel-<name>.so): keep them to a safe alphabet.
bool valid_name(const std::string& name) {
  if (name.empty() || name[0] == '.' || name.size() > 64) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// Applies one parsed file onto `cfg`; `file` prefixes every message.
class Applier {
 public:
  Applier(const std::string& file, PluginConfig& cfg) : file_(file), cfg_(cfg) {}

  Result<void> apply(const Value& root) {
    if (!root.IsObject()) return bad("", "expected a JSON object at the top level");
    for (auto& m : root.GetObject()) {
      std::string key = m.name.GetString();
      Result<void> r = key == "pluginDirs"      ? dirs(m.value)
                       : key == "cgroupManager" ? name(key, m.value, cfg_.cgroup_manager)
                       : key == "systemdCgroupManager"
                           ? name(key, m.value, cfg_.systemd_cgroup_manager)
                       : key == "syscallFilter" ? name(key, m.value, cfg_.syscall_filter, true)
                       : key == "labelers"      ? labelers(m.value)
                       : key == "checkpointer"  ? name(key, m.value, cfg_.checkpointer, true)
                       : key == "plugins"       ? plugins(m.value)
                                                : unknown(key);
      if (!r) return r;
    }
    return {};
  }

 private:
  std::unexpected<Error> bad(const std::string& field, const std::string& expected) const {
    return fail(file_ + ": " + (field.empty() ? "" : field + ": ") + expected);
  }

  Result<void> unknown(const std::string& key) const {
    std::string known;
    for (const char* k : kKnownKeys) known += (known.empty() ? "" : ", ") + std::string(k);
    return bad("", "unknown key \"" + key + "\" (known keys: " + known + ")");
  }

  Result<std::string> absolute_path(const std::string& field, const Value& v) const {
    if (!v.IsString()) return bad(field, "expected a string");
    std::string p = v.GetString();
    if (p.empty() || p[0] != '/') return bad(field, "expected an absolute path, got \"" + p + "\"");
    return p;
  }

  // `may_be_empty`: "" switches an optional backend off (no syscall filter, no checkpointer).
  Result<void> name(const std::string& field, const Value& v, std::string& out,
                    bool may_be_empty = false) const {
    if (!v.IsString()) return bad(field, "expected a string");
    std::string s = v.GetString();
    if (!(may_be_empty && s.empty()) && !valid_name(s)) {
      return bad(field,
                 "expected a plugin name (letters, digits, '-', '_', '.'), got \"" + s + "\"");
    }
    out = s;
    return {};
  }

  // Drop-ins add directories; each directory is searched once, first mention first.
  Result<void> dirs(const Value& v) {
    if (!v.IsArray()) return bad("pluginDirs", "expected an array of absolute paths");
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      auto p = absolute_path("pluginDirs[" + std::to_string(i) + "]", v[i]);
      if (!p) return std::unexpected(p.error());
      auto& list = cfg_.plugin_dirs;
      if (std::find(list.begin(), list.end(), *p) == list.end()) list.push_back(*p);
    }
    return {};
  }

  // The labelers list is replaced, not merged: a drop-in states the whole preference order.
  Result<void> labelers(const Value& v) {
    if (!v.IsArray()) return bad("labelers", "expected an array of plugin names");
    std::vector<std::string> names;
    for (rapidjson::SizeType i = 0; i < v.Size(); ++i) {
      std::string n;
      if (auto r = name("labelers[" + std::to_string(i) + "]", v[i], n); !r) return r;
      names.push_back(n);
    }
    cfg_.labelers = std::move(names);
    return {};
  }

  Result<void> plugins(const Value& v) {
    if (!v.IsObject()) return bad("plugins", "expected an object of plugin name -> settings");
    for (auto& m : v.GetObject()) {
      std::string plugin = m.name.GetString();
      std::string field = "plugins." + plugin;
      if (!valid_name(plugin)) {
        return bad(field, "expected a plugin name (letters, digits, '-', '_', '.') as the key");
      }
      if (!m.value.IsObject())
        return bad(field, "expected an object with \"path\" and/or \"options\"");
      for (auto& s : m.value.GetObject()) {
        std::string key = s.name.GetString();
        if (key == "path") {
          auto p = absolute_path(field + ".path", s.value);
          if (!p) return std::unexpected(p.error());
          cfg_.explicit_paths[plugin] = *p;
        } else if (key == "options") {
          if (!s.value.IsObject()) return bad(field + ".options", "expected an object");
          rapidjson::StringBuffer buf;
          rapidjson::Writer<rapidjson::StringBuffer> writer(buf);
          s.value.Accept(writer);
          cfg_.options_json[plugin] = buf.GetString();
        } else {
          return bad(field, "unknown key \"" + key + "\" (known keys: path, options)");
        }
      }
    }
    return {};
  }

  const std::string& file_;
  PluginConfig& cfg_;
};

Result<void> apply_file(const std::string& path, const std::string& text, PluginConfig& cfg) {
  rapidjson::Document doc;
  doc.Parse(text.c_str(), text.size());
  if (doc.HasParseError()) {
    return fail(path + ": " + line_col(text, doc.GetErrorOffset()) + ": " +
                lower_first(rapidjson::GetParseError_En(doc.GetParseError())));
  }
  if (auto r = Applier(path, cfg).apply(doc); !r) return r;
  cfg.files_read.push_back(path);
  return {};
}

// <dir of config>/keel.d/*.json, sorted by name; a missing keel.d is nothing to apply.
Result<std::vector<std::string>> drop_ins(const std::string& config_path) {
  std::string dir = config_path.substr(0, config_path.rfind('/') + 1) + "keel.d";
  std::vector<std::string> files;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) {
    if (errno == ENOENT || errno == ENOTDIR) return files;
    return sys_error("reading " + dir);
  }
  while (dirent* ent = ::readdir(d)) {
    std::string n = ent->d_name;
    if (n.size() <= 5 || n[0] == '.' || !n.ends_with(".json")) continue;
    std::string full = dir + "/" + n;
    struct stat st {};
    if (::stat(full.c_str(), &st) == 0 && S_ISREG(st.st_mode)) files.push_back(full);
  }
  ::closedir(d);
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Result<PluginConfig> load_plugin_config_file(const std::string& path, bool required) {
  if (path.empty() || path[0] != '/') {
    return fail("config file " + path + ": expected an absolute path");
  }
  PluginConfig cfg;
  auto text = read_file(path);
  if (text) {
    if (auto r = apply_file(path, *text, cfg); !r) return std::unexpected(r.error());
  } else if (required || text.error().code != ENOENT) {
    return std::unexpected(text.error());
  }
  auto files = drop_ins(path);
  if (!files) return std::unexpected(files.error());
  for (const std::string& f : *files) {
    auto t = read_file(f);
    if (!t) return std::unexpected(t.error());
    if (auto r = apply_file(f, *t, cfg); !r) return std::unexpected(r.error());
  }
  return cfg;
}

Result<PluginConfig> load_plugin_config() {
  const char* env = std::getenv("KEEL_CONFIG");
  if (env != nullptr && env[0] != '\0') {
    auto cfg = load_plugin_config_file(env, true);
    if (!cfg && cfg.error().code == ENOENT) {
      return std::unexpected(cfg.error().context("KEEL_CONFIG names a missing file"));
    }
    return cfg;
  }
  return load_plugin_config_file(kDefaultConfig, false);
}

}  // namespace keel
