// Entry points: parse_config, load_config, parse_process; the top-level config fields (root,
// mounts, hooks) and the raw JSON text of the subtrees handed to plugins.
#include <fcntl.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cerrno>
#include <charconv>
#include <new>

#include "keel/fd.hpp"
#include "keel/spec/parse.hpp"
#include "parsers.hpp"

namespace keel::spec::detail {
namespace {

// Nesting allowed inside the raw subtrees we re-serialise (RapidJSON's writer recurses).
constexpr int kMaxRawDepth = 64;

// "1.0.2-dev", "1.3.0+dev": a SemVer 2.0.0 version whose major is 1. Any 1.x is accepted: the
// spec is backward and forward compatible within a major and unknown fields are ignored.
bool valid_semver_core(std::string_view core) {
  int parts = 0;
  while (true) {
    auto dot = core.find('.');
    auto num = core.substr(0, dot);
    if (num.empty() || num.find_first_not_of("0123456789") != std::string_view::npos ||
        (num.size() > 1 && num.front() == '0'))
      return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    core.remove_prefix(dot + 1);
  }
  return parts == 3;
}

bool valid_semver_suffix(std::string_view s) {
  // Dot-separated non-empty identifiers of [0-9A-Za-z-].
  if (s.empty()) return false;
  std::size_t len = 0;
  for (char c : s) {
    if (c == '.') {
      if (len == 0) return false;
      len = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-') {
      ++len;
    } else {
      return false;
    }
  }
  return len > 0;
}

Status check_version(Reader& r, const std::string& v) {
  auto seg = r.key("ociVersion");
  std::string_view s = v;
  std::string_view build, pre;
  if (auto plus = s.find('+'); plus != std::string_view::npos) {
    build = s.substr(plus + 1);
    s = s.substr(0, plus);
    if (!valid_semver_suffix(build)) return r.fail("invalid version " + quote(v));
  }
  if (auto dash = s.find('-'); dash != std::string_view::npos) {
    pre = s.substr(dash + 1);
    s = s.substr(0, dash);
    if (!valid_semver_suffix(pre)) return r.fail("invalid version " + quote(v));
  }
  if (!valid_semver_core(s)) return r.fail("invalid version " + quote(v));
  if (!s.starts_with("1."))
    return r.fail("unsupported spec version " + quote(v) + " (keel supports 1.x)");
  return {};
}

// Depth of the deepest container under v, without recursion (input depth is unbounded).
int depth(const Value& root) {
  struct Item {
    const Value* v;
    int d;
  };
  std::vector<Item> stack{{&root, 1}};
  int deepest = 0;
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, d);
    if (d > kMaxRawDepth) return d;
    if (v->IsObject()) {
      for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it)
        stack.push_back({&it->value, d + 1});
    } else if (v->IsArray()) {
      for (auto it = v->Begin(); it != v->End(); ++it) stack.push_back({&*it, d + 1});
    }
  }
  return deepest;
}

// The compact JSON text of obj[name] ("" when absent or null).
Result<std::string> raw_json(Reader& r, const Value& obj, const char* name) {
  const Value* v = find(obj, name);
  if (!v) return std::string();
  auto seg = r.key(name);
  if (depth(*v) > kMaxRawDepth)
    return r.fail("JSON nested deeper than " + std::to_string(kMaxRawDepth) + " levels");
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  v->Accept(w);
  return std::string(buf.GetString(), buf.GetSize());
}

Status check_mount_options(Reader& r, const std::vector<std::string>& options) {
  auto seg = r.key("options");
  for (std::size_t i = 0; i < options.size(); ++i) {
    // Unknown options become comma-joined mount data, so only the syntax can be checked here.
    if (options[i].empty() || options[i].find(',') != std::string::npos) {
      auto idx = r.index(i);
      return r.fail("invalid mount option " + quote(options[i]));
    }
  }
  return {};
}

Status check_idmapped_mount(Reader& r, const Mount& m) {
  bool idmap = !m.uid_mappings.empty() || !m.gid_mappings.empty();
  bool bind = false;
  for (const auto& o : m.options) {
    idmap = idmap || o == "idmap" || o == "ridmap";
    bind = bind || o == "bind" || o == "rbind";
  }
  if (!idmap) return {};
  if (!bind)
    return r.fail("gidMappings/uidMappings is supported only for mounts with the option 'bind'");
  if (!is_abs(m.source)) {
    auto seg = r.key("source");
    return r.fail("mount source not absolute");
  }
  return {};
}

Result<Config> parse_config_doc(std::string_view json, std::string doc_name);

}  // namespace

Status get(Reader& r, const Value& v, Root& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "path", out.path));
  KEEL_TRY(field(r, v, "readonly", out.readonly));
  if (out.path.empty()) {
    auto seg = r.key("path");
    return r.fail("root path must not be empty");
  }
  return {};
}

Status get(Reader& r, const Value& v, Mount& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "destination", out.destination));
  KEEL_TRY(field(r, v, "type", out.type));
  KEEL_TRY(field(r, v, "source", out.source));
  KEEL_TRY(field(r, v, "options", out.options));
  KEEL_TRY(field(r, v, "uidMappings", out.uid_mappings));
  KEEL_TRY(field(r, v, "gidMappings", out.gid_mappings));
  if (out.destination.empty()) {
    auto seg = r.key("destination");
    return r.fail("mount destination must not be empty");
  }
  // runc (1.1 and 1.2) only warns about a relative destination and mounts it relative to the
  // container's "/"; engines still send such configs, so keel accepts them the same way and
  // stores the destination made absolute, which is what every consumer of the model needs.
  if (!is_abs(out.destination)) out.destination.insert(0, 1, '/');
  KEEL_TRY(check_mount_options(r, out.options));
  KEEL_TRY(check_idmapped_mount(r, out));
  return {};
}

Status get(Reader& r, const Value& v, Hook& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(required(r, v, "path", out.path));
  KEEL_TRY(field(r, v, "args", out.args));
  KEEL_TRY(field(r, v, "env", out.env));
  KEEL_TRY(field(r, v, "timeout", out.timeout));
  if (!is_abs(out.path)) {
    auto seg = r.key("path");
    return r.fail("hook path " + quote(out.path) + " is not absolute");
  }
  if (out.timeout && *out.timeout <= 0) {
    auto seg = r.key("timeout");
    return r.fail("timeout must be greater than zero");
  }
  return {};
}

Status get(Reader& r, const Value& v, Hooks& out) {
  KEEL_TRY(expect_object(r, v));
  KEEL_TRY(field(r, v, "prestart", out.prestart));
  KEEL_TRY(field(r, v, "createRuntime", out.create_runtime));
  KEEL_TRY(field(r, v, "createContainer", out.create_container));
  KEEL_TRY(field(r, v, "startContainer", out.start_container));
  KEEL_TRY(field(r, v, "poststart", out.poststart));
  KEEL_TRY(field(r, v, "poststop", out.poststop));
  return {};
}

namespace {

// Offset of a \u escape of a low surrogate (U+DC00..U+DFFF) not preceded by a high one, or npos.
// RapidJSON 1.1.0 accepts it and stores invalid UTF-8 that its own validation then refuses when
// keel re-reads the JSON it wrote (state.json's config: exec failed, hooks were skipped; found
// by tests/fuzz). Backslashes only occur in strings in valid JSON, so a plain scan is enough.
std::size_t lone_low_surrogate(std::string_view json) {
  bool after_high = false;
  for (std::size_t i = 0; i + 1 < json.size(); ++i) {
    if (json[i] != '\\') {
      after_high = false;
      continue;
    }
    unsigned v = 0;
    auto [end, ec] =
        std::from_chars(json.data() + i + 2, json.data() + std::min(i + 6, json.size()), v, 16);
    if (json[i + 1] != 'u' || ec != std::errc() || end != json.data() + i + 6) {
      ++i;  // another escape (or a bad one RapidJSON reports)
      after_high = false;
      continue;
    }
    if (v >= 0xDC00 && v <= 0xDFFF && !after_high) return i;
    after_high = v >= 0xD800 && v <= 0xDBFF;
    i += 5;
  }
  return std::string_view::npos;
}

// Parses JSON text into doc; the error names the line and column like runc's decoder context.
Status parse_text(std::string_view json, const std::string& doc_name, rapidjson::Document& doc) {
  constexpr unsigned kFlags =
      rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;
  doc.Parse<kFlags>(json.data(), json.size());
  std::size_t lone = doc.HasParseError() ? std::string_view::npos : lone_low_surrogate(json);
  if (!doc.HasParseError() && lone == std::string_view::npos) {
    if (!doc.IsObject()) return fail(doc_name + ": expected a JSON object");
    return {};
  }
  std::size_t offset =
      std::min(lone != std::string_view::npos ? lone : doc.GetErrorOffset(), json.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < offset; ++i) {
    if (json[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  }
  return fail(doc_name + ": line " + std::to_string(line) + " column " +
              std::to_string(offset - line_start + 1) + ": invalid JSON: " +
              (lone != std::string_view::npos ? "lone low surrogate in \\u escape"
                                              : rapidjson::GetParseError_En(doc.GetParseError())));
}

Result<Config> parse_config_doc(std::string_view json, std::string doc_name) {
  rapidjson::Document doc;
  KEEL_TRY(parse_text(json, doc_name, doc));
  Reader r(std::move(doc_name));
  Config c;
  KEEL_TRY(required(r, doc, "ociVersion", c.oci_version));
  KEEL_TRY(check_version(r, c.oci_version));
  KEEL_TRY(field(r, doc, "process", c.process));
  KEEL_TRY(field(r, doc, "root", c.root));
  KEEL_TRY(field(r, doc, "hostname", c.hostname));
  KEEL_TRY(field(r, doc, "domainname", c.domainname));
  KEEL_TRY(field(r, doc, "mounts", c.mounts));
  KEEL_TRY(field(r, doc, "hooks", c.hooks));
  KEEL_TRY(field(r, doc, "annotations", c.annotations));
  KEEL_TRY(field(r, doc, "linux", c.linux));
  if (const Value* linux = find(doc, "linux")) {
    auto seg = r.key("linux");
    auto res = raw_json(r, *linux, "resources");
    if (!res) return std::unexpected(std::move(res).error());
    c.resources_json = std::move(*res);
    auto sec = raw_json(r, *linux, "seccomp");
    if (!sec) return std::unexpected(std::move(sec).error());
    c.seccomp_json = std::move(*sec);
  }
  KEEL_TRY(validate_config(r, c));
  return c;
}

// No exception (bad_alloc from a huge document, or anything unforeseen) leaves the parser.
template <class F>
auto guarded(const std::string& doc_name, F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    return fail(doc_name + ": out of memory", ENOMEM);
  } catch (const std::exception& e) {
    return fail(doc_name + ": " + e.what());
  }
}

}  // namespace
}  // namespace keel::spec::detail

namespace keel::spec {

Result<Config> parse_config(std::string_view json) {
  return detail::guarded("config.json",
                         [&] { return detail::parse_config_doc(json, "config.json"); });
}

Result<Config> load_config(const std::string& bundle_dir) {
  const std::string path = bundle_dir + "/config.json";
  return detail::guarded(path, [&]() -> Result<Config> {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return sys_error("open " + path);
    std::string text;
    char buf[65536];
    while (true) {
      ssize_t n = ::read(fd.get(), buf, sizeof buf);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return sys_error("read " + path);
      if (n == 0) break;
      text.append(buf, static_cast<std::size_t>(n));
    }
    return detail::parse_config_doc(text, path);
  });
}

Result<Process> parse_process(std::string_view json) {
  const std::string name = "process.json";
  return detail::guarded(name, [&]() -> Result<Process> {
    rapidjson::Document doc;
    KEEL_TRY(detail::parse_text(json, name, doc));
    detail::Reader r(name);
    Process p;
    KEEL_TRY(detail::get(r, doc, p));
    return p;
  });
}

}  // namespace keel::spec
