// The manager's JSON: the create request in, the state out and back.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "keel/cgroup/manager.hpp"

namespace keel::cgroup {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_paths(Writer& w, const CgroupSet& set) {
  w.StartObject();
  for (const auto& [controller, dir] : set.dirs) {
    w.Key(controller.c_str());
    w.String(dir.c_str());
  }
  // Controllers served by the cgroup2 dir in hybrid mode are listed under their own name too.
  if (set.mode == Mode::hybrid) {
    for (const auto& c : set.unified_controllers) {
      w.Key(c.c_str());
      w.String(set.dir_for(c).c_str());
    }
  }
  w.EndObject();
}

Result<rapidjson::Document> parse(std::string_view json, const char* what) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  if (doc.HasParseError())
    return fail(std::string("parsing ") + what + ": " +
                rapidjson::GetParseError_En(doc.GetParseError()));
  if (!doc.IsObject()) return fail(std::string("parsing ") + what + ": not a JSON object");
  return doc;
}

std::string string_member(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  if (it == v.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

}  // namespace

Result<CreateRequest> parse_create_request(std::string_view json) {
  auto doc = parse(json, "the cgroup create request");
  if (!doc) return std::unexpected(doc.error());
  CreateRequest req;
  req.id = string_member(*doc, "id");
  req.cgroups_path = string_member(*doc, "cgroupsPath");
  if (auto it = doc->FindMember("rootless"); it != doc->MemberEnd() && it->value.IsBool())
    req.rootless = it->value.GetBool();
  if (auto it = doc->FindMember("resources"); it != doc->MemberEnd() && it->value.IsObject()) {
    rapidjson::StringBuffer buf;
    Writer w(buf);
    it->value.Accept(w);
    req.resources_json.assign(buf.GetString(), buf.GetSize());
  }
  if (req.id.empty()) return fail("the cgroup create request has no container id");
  return req;
}

std::string encode_state(const State& s) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  w.Key("version");
  w.Int(1);
  w.Key("layout");
  w.String(std::string(mode_name(s.set.mode)).c_str());
  w.Key("paths");
  w.StartObject();
  for (const auto& [controller, dir] : s.set.dirs) {
    w.Key(controller.c_str());
    w.String(dir.c_str());
  }
  w.EndObject();
  w.Key("unifiedControllers");
  w.StartArray();
  for (const auto& c : s.set.unified_controllers) w.String(c.c_str());
  w.EndArray();
  w.Key("created");
  w.StartArray();
  for (const auto& d : s.created) w.String(d.c_str());
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<State> decode_state(std::string_view json) {
  auto doc = parse(json, "the cgroupfs state");
  if (!doc) return std::unexpected(doc.error());
  auto version = doc->FindMember("version");
  if (version == doc->MemberEnd() || !version->value.IsInt() || version->value.GetInt() != 1)
    return fail("the cgroupfs state has an unknown version");
  State s;
  auto mode = parse_mode(string_member(*doc, "layout"));
  if (!mode) return std::unexpected(mode.error().context("the cgroupfs state"));
  s.set.mode = *mode;
  if (auto it = doc->FindMember("paths"); it != doc->MemberEnd() && it->value.IsObject()) {
    for (const auto& m : it->value.GetObject())
      if (m.value.IsString()) s.set.dirs[m.name.GetString()] = m.value.GetString();
  }
  if (auto it = doc->FindMember("unifiedControllers");
      it != doc->MemberEnd() && it->value.IsArray()) {
    for (const auto& v : it->value.GetArray())
      if (v.IsString()) s.set.unified_controllers.insert(v.GetString());
  }
  if (auto it = doc->FindMember("created"); it != doc->MemberEnd() && it->value.IsArray()) {
    for (const auto& v : it->value.GetArray())
      if (v.IsString()) s.created.push_back(v.GetString());
  }
  if (s.set.dirs.empty()) return fail("the cgroupfs state names no cgroup directory");
  return s;
}

std::string paths_json(const CgroupSet& set) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  write_paths(w, set);
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace keel::cgroup
