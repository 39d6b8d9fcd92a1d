// `features`: runc's features JSON (4-space indent). Backend sections come from the plugins
// themselves, so the report says what this installation can do, not what keel could do.
#include <fcntl.h>
#include <rapidjson/document.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/report.hpp"
#include "commands/commands.hpp"
#include "keel/log.hpp"
#include "keel/plugins.hpp"

namespace keel::commands {
namespace {

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// Linux capability numbers 0..40 (CAP_CHECKPOINT_RESTORE, kernel 5.9).
constexpr std::array<const char*, 41> kCapabilities = {"CAP_CHOWN",
                                                       "CAP_DAC_OVERRIDE",
                                                       "CAP_DAC_READ_SEARCH",
                                                       "CAP_FOWNER",
                                                       "CAP_FSETID",
                                                       "CAP_KILL",
                                                       "CAP_SETGID",
                                                       "CAP_SETUID",
                                                       "CAP_SETPCAP",
                                                       "CAP_LINUX_IMMUTABLE",
                                                       "CAP_NET_BIND_SERVICE",
                                                       "CAP_NET_BROADCAST",
                                                       "CAP_NET_ADMIN",
                                                       "CAP_NET_RAW",
                                                       "CAP_IPC_LOCK",
                                                       "CAP_IPC_OWNER",
                                                       "CAP_SYS_MODULE",
                                                       "CAP_SYS_RAWIO",
                                                       "CAP_SYS_CHROOT",
                                                       "CAP_SYS_PTRACE",
                                                       "CAP_SYS_PACCT",
                                                       "CAP_SYS_ADMIN",
                                                       "CAP_SYS_BOOT",
                                                       "CAP_SYS_NICE",
                                                       "CAP_SYS_RESOURCE",
                                                       "CAP_SYS_TIME",
                                                       "CAP_SYS_TTY_CONFIG",
                                                       "CAP_MKNOD",
                                                       "CAP_LEASE",
                                                       "CAP_AUDIT_WRITE",
                                                       "CAP_AUDIT_CONTROL",
                                                       "CAP_SETFCAP",
                                                       "CAP_MAC_OVERRIDE",
                                                       "CAP_MAC_ADMIN",
                                                       "CAP_SYSLOG",
                                                       "CAP_WAKE_ALARM",
                                                       "CAP_BLOCK_SUSPEND",
                                                       "CAP_AUDIT_READ",
                                                       "CAP_PERFMON",
                                                       "CAP_BPF",
                                                       "CAP_CHECKPOINT_RESTORE"};

// The mount options runc accepts (keel's rootfs code accepts the same set).
constexpr std::array<const char*, 62> kMountOptions = {
    "acl",          "async",       "atime",          "bind",
    "defaults",     "dev",         "diratime",       "dirsync",
    "exec",         "iversion",    "lazytime",       "loud",
    "mand",         "noacl",       "noatime",        "nodev",
    "nodiratime",   "noexec",      "noiversion",     "nolazytime",
    "nomand",       "norelatime",  "nostrictatime",  "nosuid",
    "nosymfollow",  "private",     "ratime",         "rbind",
    "rdev",         "rdiratime",   "relatime",       "remount",
    "rexec",        "rnoatime",    "rnodev",         "rnodiratime",
    "rnoexec",      "rnorelatime", "rnostrictatime", "rnosuid",
    "rnosymfollow", "ro",          "rprivate",       "rrelatime",
    "rro",          "rrw",         "rshared",        "rslave",
    "rstrictatime", "rsuid",       "rsymfollow",     "runbindable",
    "rw",           "shared",      "silent",         "slave",
    "strictatime",  "suid",        "symfollow",      "sync",
    "tmpcopyup",    "unbindable"};

int last_cap() {
  int fd = ::open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return static_cast<int>(kCapabilities.size()) - 1;
  char buf[16] = {};
  ssize_t n = ::read(fd, buf, sizeof buf - 1);
  ::close(fd);
  int v = n > 0 ? std::atoi(buf) : 0;
  return v > 0 ? v : static_cast<int>(kCapabilities.size()) - 1;
}

void strings(Writer& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const auto& v : values) w.String(v.c_str());
  w.EndArray();
}

// A plugin's features() answer is a JSON object; embed it, or say why it is missing.
bool embed(Writer& w, const char* key, const Result<std::string>& json) {
  if (!json) {
    log::debug(std::string("features: ") + key + ": " + json.error().message);
    return false;
  }
  rapidjson::Document doc;
  doc.Parse(json->c_str());
  if (doc.HasParseError() || !doc.IsObject()) {
    log::warning(std::string("features: ") + key + ": the plugin returned malformed JSON");
    return false;
  }
  w.Key(key);
  doc.Accept(w);
  return true;
}

void enabled(Writer& w, const char* key, bool on) {
  w.Key(key);
  w.StartObject();
  w.Key("enabled");
  w.Bool(on);
  w.EndObject();
}

std::vector<std::string> namespaces() {
  std::vector<std::string> out = {"cgroup", "ipc", "mount", "network", "pid"};
  struct stat sb;
  if (::stat("/proc/self/ns/time", &sb) == 0) out.push_back("time");
  out.push_back("user");
  out.push_back("uts");
  return out;
}

// Returns whether the seccomp plugin answered (its libseccomp version is then worth announcing).
bool write_linux(Writer& w, const PluginHost* host) {
  w.Key("linux");
  w.StartObject();
  strings(w, "namespaces", namespaces());
  std::vector<std::string> caps;
  for (int i = 0; i <= last_cap() && i < static_cast<int>(kCapabilities.size()); ++i)
    caps.push_back(kCapabilities[static_cast<std::size_t>(i)]);
  strings(w, "capabilities", caps);
  if (host) {
    if (auto cg = host->cgroup_manager(false))
      embed(w, "cgroup", cg->features());
    else
      log::debug("features: cgroup: " + cg.error().message);
  }
  bool seccomp = false;
  if (host) {
    if (auto f = host->syscall_filter(); f && *f) seccomp = embed(w, "seccomp", (*f)->features());
  }
  if (!seccomp) enabled(w, "seccomp", false);
  for (const char* lsm : {"apparmor", "selinux"}) {
    bool on = false;
    if (host) {
      if (auto l = host->labeler(lsm); l && *l) on = (*l)->enabled();
    }
    enabled(w, lsm, on);
  }
  w.EndObject();
  return seccomp;
}

int run_features(cli::Context&) {
  std::optional<PluginHost> host;
  if (auto config = load_plugin_config())
    host.emplace(std::move(*config));
  else
    log::warning("features: " + config.error().message);

  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.SetIndent(' ', 4);
  w.StartObject();
  w.Key("ociVersionMin");
  w.String("1.0.0");
  w.Key("ociVersionMax");
  w.String("1.3.0");
  strings(
      w, "hooks",
      {"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"});
  strings(w, "mountOptions", {kMountOptions.begin(), kMountOptions.end()});
  bool seccomp = write_linux(w, host ? &*host : nullptr);
  std::map<std::string, std::string> annotations = {
      {"io.github.keel.commit", KEEL_GIT_COMMIT},
      {"io.github.keel.version", KEEL_VERSION},
      {"org.opencontainers.runc.version", "1.3.0"},
  };
  if (seccomp) annotations["io.github.seccomp.libseccomp.version"] = KEEL_LIBSECCOMP_VERSION;
  w.Key("annotations");
  w.StartObject();
  for (const auto& [k, v] : annotations) {
    w.Key(k.c_str());
    w.String(v.c_str());
  }
  w.EndObject();
  w.EndObject();
  cli::print(std::string(buf.GetString(), buf.GetSize()) + "\n");
  return 0;
}

}  // namespace

const cli::Command& features() {
  static const cli::Command cmd{
      .name = "features",
      .summary = "show the enabled features",
      .args_usage = "",
      .description =
          "Show the enabled features.\n"
          "   The result is parsable as a JSON.\n"
          "   See https://pkg.go.dev/github.com/opencontainers/runtime-spec/specs-go/features "
          "for the type definition.\n",
      .flags = {},
      .arg_check = cli::ArgCheck::exact,
      .args = 0,
      .run = run_features,
  };
  return cmd;
}

}  // namespace keel::commands
