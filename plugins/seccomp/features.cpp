#include "features.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>
#include <seccomp.h>

#include "kernel_probe.hpp"
#include "names.hpp"
#include "text.hpp"

namespace keel::seccomp {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void string_array(Writer& w, const char* key, const std::vector<std::string_view>& items) {
  w.Key(key);
  w.StartArray();
  for (auto s : items) w.String(s.data(), rapidjson::SizeType(s.size()));
  w.EndArray();
}

std::vector<std::string_view> supported_flags() {
  std::vector<std::string_view> out;
  for (auto name : known_flags())
    if (kernel_supports_flag(find_flag(name)->bit)) out.push_back(name);
  return out;
}

}  // namespace

std::string libseccomp_version() {
  const scmp_version* v = seccomp_version();
  return cat(v->major, '.', v->minor, '.', v->micro);
}

std::string features_json() {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("enabled");
  w.Bool(true);
  string_array(w, "actions", known_actions());
  string_array(w, "operators", known_operators());
  string_array(w, "archs", known_archs());
  string_array(w, "knownFlags", known_flags());
  string_array(w, "supportedFlags", supported_flags());
  std::string version = libseccomp_version();
  w.Key("libseccompVersion");
  w.String(version.c_str());
  w.EndObject();
  return buf.GetString();
}

}  // namespace keel::seccomp
