// JSON for the state store (state.json, keel's complete record) and for the runc-compatible
// views printed by `state` and `list --format json`.
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "keel/state.hpp"

namespace keel {
namespace {

template <class W>
void put(W& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

template <class W>
void put_map(W& w, const char* key, const std::map<std::string, std::string>& m) {
  w.Key(key);
  w.StartObject();
  for (const auto& [k, v] : m) put(w, k.c_str(), v);
  w.EndObject();
}

// runc's containerState, field order and omitempty as in runc's list.go.
template <class W>
void write_view(W& w, const ContainerState& st, Status status) {
  w.StartObject();
  put(w, "ociVersion", st.oci_version);
  put(w, "id", st.id);
  w.Key("pid");
  w.Int(status == Status::stopped ? 0 : st.init_pid);
  put(w, "status", to_string(status));
  put(w, "bundle", st.bundle);
  put(w, "rootfs", st.rootfs);
  put(w, "created", st.created);
  if (!st.annotations.empty()) put_map(w, "annotations", st.annotations);
  put(w, "owner", st.owner);
  w.EndObject();
}

std::string get_string(const rapidjson::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::map<std::string, std::string> get_map(const rapidjson::Value& obj, const char* key) {
  std::map<std::string, std::string> out;
  auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsObject()) return out;
  for (const auto& m : it->value.GetObject())
    if (m.value.IsString()) out[m.name.GetString()] = m.value.GetString();
  return out;
}

}  // namespace

std::string state_json(const ContainerState& st, Status status, bool pretty) {
  rapidjson::StringBuffer buf;
  if (pretty) {
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    write_view(w, st, status);
  } else {
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    write_view(w, st, status);
  }
  return {buf.GetString(), buf.GetSize()};
}

std::string serialize_state(const ContainerState& st) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  put(w, "ociVersion", st.oci_version);
  put(w, "id", st.id);
  w.Key("initPid");
  w.Int(st.init_pid);
  w.Key("initStartTime");
  w.Uint64(st.init_start_time);
  put(w, "bundle", st.bundle);
  put(w, "rootfs", st.rootfs);
  put(w, "created", st.created);
  put_map(w, "annotations", st.annotations);
  w.Key("paused");
  w.Bool(st.paused);
  w.Key("useSystemd");
  w.Bool(st.use_systemd);
  put(w, "cgroupManager", st.cgroup_manager);
  put(w, "cgroupState", st.cgroup_state);
  put(w, "config", st.config_json);
  put_map(w, "extra", st.extra);
  w.EndObject();
  return {buf.GetString(), buf.GetSize()};
}

Result<ContainerState> parse_state(std::string_view json) {
  // In situ on a NUL-terminated copy: strings are unescaped in place (with RapidJSON's SSE2
  // scan), not copied into the document; the fields below copy what they keep.
  std::string text(json);
  rapidjson::Document doc;
  doc.ParseInsitu<rapidjson::kParseStopWhenDoneFlag>(text.data());
  if (doc.HasParseError() || !doc.IsObject())
    return fail("parsing state.json: malformed JSON at offset " +
                std::to_string(doc.GetErrorOffset()));
  ContainerState st;
  st.oci_version = get_string(doc, "ociVersion");
  st.id = get_string(doc, "id");
  if (auto it = doc.FindMember("initPid"); it != doc.MemberEnd() && it->value.IsInt())
    st.init_pid = it->value.GetInt();
  if (auto it = doc.FindMember("initStartTime"); it != doc.MemberEnd() && it->value.IsUint64())
    st.init_start_time = it->value.GetUint64();
  st.bundle = get_string(doc, "bundle");
  st.rootfs = get_string(doc, "rootfs");
  st.created = get_string(doc, "created");
  st.annotations = get_map(doc, "annotations");
  if (auto it = doc.FindMember("paused"); it != doc.MemberEnd() && it->value.IsBool())
    st.paused = it->value.GetBool();
  if (auto it = doc.FindMember("useSystemd"); it != doc.MemberEnd() && it->value.IsBool())
    st.use_systemd = it->value.GetBool();
  st.cgroup_manager = get_string(doc, "cgroupManager");
  st.cgroup_state = get_string(doc, "cgroupState");
  st.config_json = get_string(doc, "config");
  st.extra = get_map(doc, "extra");
  if (st.id.empty()) return fail("parsing state.json: no container id");
  return st;
}

std::string rfc3339_nano_now() {
  timespec ts{};
  ::clock_gettime(CLOCK_REALTIME, &ts);
  std::tm tm{};
  ::gmtime_r(&ts.tv_sec, &tm);
  // snprintf, not strftime: strftime loads the time zone (/etc/localtime) on every call.
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900,
                        tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
  if (ts.tv_nsec != 0) {
    char frac[16];
    std::snprintf(frac, sizeof frac, ".%09ld", ts.tv_nsec);
    std::string f(frac);
    while (f.back() == '0') f.pop_back();  // Go trims trailing zeros in RFC3339Nano
    out += f;
  }
  return out + "Z";
}

}  // namespace keel
