// The built libkeel-seccomp.so through its C entry point, as the host will use it.
#include <dlfcn.h>
#include <doctest/doctest.h>
#include <rapidjson/document.h>

#include <string>

#include "child.hpp"
#include "keel/plugin_abi.h"

using namespace keel::seccomp::test;

namespace {

struct Loaded {
  void* handle = nullptr;
  const keel_plugin_descriptor* d = nullptr;
  ~Loaded() {
    if (handle) dlclose(handle);
  }
};

void load(Loaded& l) {
  std::string path = std::string(KEEL_PLUGIN_DIR) + "/libkeel-seccomp.so";
  l.handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  REQUIRE_MESSAGE(l.handle != nullptr, dlerror());
  auto entry = reinterpret_cast<keel_plugin_entry_fn>(dlsym(l.handle, KEEL_PLUGIN_ENTRY_SYMBOL));
  REQUIRE(bool(entry));
  l.d = entry(KEEL_PLUGIN_ABI_MAJOR, KEEL_PLUGIN_ABI_MINOR);
  REQUIRE(l.d != nullptr);
}

void append(void* ctx, const char* data, size_t len) {
  static_cast<std::string*>(ctx)->append(data, len);
}

}  // namespace

TEST_CASE("the plugin describes itself as the seccomp syscall filter") {
  Loaded l;
  load(l);
  CHECK(l.d->magic == KEEL_PLUGIN_MAGIC);
  CHECK(l.d->kind == KEEL_PLUGIN_SYSCALL_FILTER);
  CHECK(std::string(l.d->name) == "seccomp");
  CHECK(std::string(l.d->version) == "0.1.0");
}

TEST_CASE("compile through the C ABI returns the program, flags and listener need") {
  Loaded l;
  load(l);
  std::string logged;
  keel_host host{sizeof(keel_host), &logged, [](void* ctx, int level, const char* m) {
                   if (level == 0) static_cast<std::string*>(ctx)->append(m);
                 }};
  keel_error err{};
  REQUIRE(l.d->init(&host, "{}", &err) == 0);
  auto ops = static_cast<const keel_syscall_filter_ops*>(l.d->ops);
  std::string bpf;
  keel_sink sink{&bpf, append};
  uint32_t flags = 99;
  int needs_listener = 99;
  std::string profile = fixture_profile("docker-create");
  REQUIRE(ops->compile(profile.c_str(), nullptr, &sink, &flags, &needs_listener, &err) == 0);
  CHECK(!bpf.empty());
  CHECK(bpf == must_compile(profile).bpf);
  CHECK(needs_listener == 0);

  std::string unused;
  keel_sink unused_sink{&unused, append};
  REQUIRE(
      ops->compile(
          R"({"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["nope_nope"],"action":"SCMP_ACT_ERRNO"}]})",
          nullptr, &unused_sink, &flags, &needs_listener, &err) == 0);
  CHECK(logged.find("nope_nope") != std::string::npos);  // the debug message reached the host

  CHECK(ops->compile(R"({"defaultAction":"SCMP_ACT_NOPE"})", nullptr, &unused_sink, &flags,
                     &needs_listener, &err) == -1);
  CHECK(err.err == EINVAL);
  CHECK(std::string(err.message) == R"(linux.seccomp: unknown defaultAction "SCMP_ACT_NOPE")");
}

TEST_CASE("features reports runc's seccomp object and the libseccomp version") {
  Loaded l;
  load(l);
  auto ops = static_cast<const keel_syscall_filter_ops*>(l.d->ops);
  std::string json;
  keel_sink sink{&json, append};
  keel_error err{};
  REQUIRE(ops->features(&sink, &err) == 0);
  rapidjson::Document doc;
  doc.Parse(json.c_str());
  REQUIRE(!doc.HasParseError());
  CHECK(doc["enabled"].GetBool());
  CHECK(doc["actions"].Size() == 9);
  CHECK(doc["operators"].Size() == 7);
  CHECK(doc["knownFlags"].Size() == 4);
  auto has = [](const rapidjson::Value& a, const char* s) {
    for (auto& v : a.GetArray())
      if (std::string(v.GetString()) == s) return true;
    return false;
  };
  CHECK(has(doc["archs"], "SCMP_ARCH_X86_64"));
  CHECK(has(doc["archs"], "SCMP_ARCH_AARCH64"));
  CHECK(has(doc["actions"], "SCMP_ACT_KILL_PROCESS"));
  CHECK(has(doc["operators"], "SCMP_CMP_MASKED_EQ"));
  // kernel 5.19+ knows all four
  CHECK(has(doc["supportedFlags"], "SECCOMP_FILTER_FLAG_SPEC_ALLOW"));
  CHECK(has(doc["supportedFlags"], "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
  CHECK(std::string(doc["libseccompVersion"].GetString()).find("2.") == 0);
}
