// Loading one plugin file. Every check is made on an fd opened once, and the library loaded is
// that fd's file (/proc/self/fd/N), so the file cannot be swapped between check and dlopen.
// Libraries are never unloaded: their descriptors, tables and names are static storage.
#include "loader.hpp"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <boost/dll/shared_library.hpp>
#include <cstdio>
#include <deque>
#include <memory>

#include "call.hpp"
#include "host_log.hpp"
#include "keel/fd.hpp"
#include "keel/plugins.hpp"

namespace keel::plugin_loader {

namespace {

struct Entry {
  dev_t dev = 0;
  ino_t ino = 0;
  std::string path;
  std::string name;  // the descriptor's name; the keel_host log ctx points here
  // The O_PATH fd the library was loaded through, kept open for the life of the process:
  // ld.so remembers the library as "/proc/self/fd/N" and would hand the old library back for a
  // later dlopen of the same string if N were closed and reused.
  UniqueFd fd;
  boost::dll::shared_library library;
  keel_host host{};
  Attempt outcome;
};

// Function-local and leaked on purpose: destroying it at exit would dlclose the plugins while
// other static destructors may still call into them.
std::deque<Entry>& registry() {
  static auto* entries = new std::deque<Entry>();
  return *entries;
}

std::unexpected<Error> refuse(const std::string& path, const std::string& reason, int err = EPERM) {
  return fail("plugin " + path + ": " + reason, err);
}

std::string octal_mode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

Result<void> check_file(const std::string& path, const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return refuse(path, "not a regular file");
  if (st.st_uid != 0) {
    return refuse(path, "owned by uid " + std::to_string(st.st_uid) + ", must be owned by root");
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return refuse(path,
                  "writable by group or others (mode " + octal_mode(st.st_mode) + "), must not be");
  }
  return {};
}

size_t ops_size_needed(uint32_t kind) {
  switch (kind) {
    case KEEL_PLUGIN_CGROUP_MANAGER:
      return sizeof(keel_cgroup_ops);
    case KEEL_PLUGIN_SYSCALL_FILTER:
      return sizeof(keel_syscall_filter_ops);
    case KEEL_PLUGIN_LABELER:
      return sizeof(keel_labeler_ops);
    case KEEL_PLUGIN_CHECKPOINTER:
      return sizeof(keel_checkpointer_ops);
  }
  return 0;
}

// The handshake's answer, checked field by field in the order a reader would expect.
Result<void> check_descriptor(const std::string& path, const keel_plugin_descriptor* d) {
  if (d == nullptr) {
    return refuse(path,
                  "keel_plugin_entry returned NULL: it cannot serve plugin ABI " +
                      std::to_string(KEEL_PLUGIN_ABI_MAJOR) + "." +
                      std::to_string(KEEL_PLUGIN_ABI_MINOR),
                  ENOEXEC);
  }
  if (d->magic != KEEL_PLUGIN_MAGIC) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08x", d->magic);
    return refuse(path, std::string("bad magic ") + buf + " in its descriptor, not a keel plugin",
                  ENOEXEC);
  }
  if (d->abi_major != KEEL_PLUGIN_ABI_MAJOR) {
    return fail("plugin " + path + " speaks plugin ABI " + std::to_string(d->abi_major) + "." +
                    std::to_string(d->abi_minor) + ", keel speaks " +
                    std::to_string(KEEL_PLUGIN_ABI_MAJOR) + "." +
                    std::to_string(KEEL_PLUGIN_ABI_MINOR),
                ENOEXEC);
  }
  if (d->struct_size < sizeof(keel_plugin_descriptor)) {
    return refuse(path,
                  "descriptor is " + std::to_string(d->struct_size) +
                      " bytes, keel needs at least " +
                      std::to_string(sizeof(keel_plugin_descriptor)),
                  ENOEXEC);
  }
  if (d->name == nullptr || d->name[0] == '\0')
    return refuse(path, "descriptor has no name", ENOEXEC);
  size_t needed = ops_size_needed(d->kind);
  if (needed == 0) {
    return refuse(
        path, "unknown plugin kind " + std::to_string(d->kind) + " (plugin \"" + d->name + "\")",
        ENOEXEC);
  }
  if (d->ops == nullptr) return refuse(path, "operations table is NULL", ENOEXEC);
  // Every table starts with its uint32_t struct_size.
  uint32_t ops_size = *static_cast<const uint32_t*>(d->ops);
  if (ops_size < needed) {
    return refuse(path,
                  std::string(kind_label(d->kind)) + " table is " + std::to_string(ops_size) +
                      " bytes, keel needs at least " + std::to_string(needed),
                  ENOEXEC);
  }
  return {};
}

// Another loaded file already answering to this name.
Result<void> check_unique(const Entry& self) {
  for (const Entry& other : registry()) {
    if (&other == &self || other.outcome.error || other.outcome.descriptor == nullptr) continue;
    if (other.name == self.name) {
      return refuse(self.path,
                    "plugin name \"" + self.name + "\" already provided by " + other.path, EEXIST);
    }
  }
  return {};
}

Result<const keel_plugin_descriptor*> handshake(Entry& e) {
  std::string proc = "/proc/self/fd/" + std::to_string(e.fd.get());
  std::error_code ec;
  e.library.load(proc, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !e.library.is_loaded()) {
    const char* raw = dlerror();
    std::string why = raw ? raw : ec.message();
    // ld.so names the /proc/self/fd/N path; the message already names the real file.
    if (why.starts_with(proc + ": ")) why.erase(0, proc.size() + 2);
    e.fd.reset();  // nothing loaded under its name: the number may be reused
    return refuse(e.path, "loading: " + why, ENOEXEC);
  }
  if (!e.library.has(KEEL_PLUGIN_ENTRY_SYMBOL)) {
    return refuse(e.path, "no entry point " KEEL_PLUGIN_ENTRY_SYMBOL ", not a keel plugin",
                  ENOEXEC);
  }
  auto entry =
      reinterpret_cast<keel_plugin_entry_fn>(dlsym(e.library.native(), KEEL_PLUGIN_ENTRY_SYMBOL));
  const keel_plugin_descriptor* d = nullptr;
  try {
    d = entry(KEEL_PLUGIN_ABI_MAJOR, KEEL_PLUGIN_ABI_MINOR);
  } catch (...) {
    return refuse(e.path, "keel_plugin_entry threw an exception", ENOEXEC);
  }
  if (auto ok = check_descriptor(e.path, d); !ok) return std::unexpected(ok.error());
  return d;
}

void run_init(Entry& e, const OptionsFor& options_for) {
  const keel_plugin_descriptor* d = e.outcome.descriptor;
  if (d->init == nullptr) return;
  e.host = make_host(&e.name);
  std::string options = options_for ? options_for(e.name) : std::string("{}");
  if (options.empty()) options = "{}";
  auto r = plugin_call::invoke(e.name, "init", d->init, &e.host, options.c_str());
  if (!r) e.outcome.error = r.error().context("plugin " + e.path + ": init");
}

}  // namespace

Attempt load(const std::string& path, const OptionsFor& options_for) {
  if (path.empty() || path[0] != '/') {
    return {nullptr, Error{EINVAL, "plugin " + path + ": relative plugin paths are refused"}};
  }
  UniqueFd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
  if (!fd) return {nullptr, sys_error("plugin " + path + ": opening").error()};
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0)
    return {nullptr, sys_error("plugin " + path + ": fstat").error()};
  if (auto ok = check_file(path, st); !ok) return {nullptr, ok.error()};

  for (const Entry& e : registry()) {
    if (e.dev == st.st_dev && e.ino == st.st_ino && e.library.is_loaded()) return e.outcome;
  }
  Entry& e = registry().emplace_back();
  e.dev = st.st_dev;
  e.ino = st.st_ino;
  e.path = path;
  e.fd = std::move(fd);
  try {
    auto d = handshake(e);
    if (!d) {
      e.outcome.error = d.error();
      return e.outcome;
    }
    e.outcome.descriptor = *d;
    e.name = (*d)->name;
    if (auto unique = check_unique(e); !unique) {
      e.outcome.error = unique.error();
      return e.outcome;
    }
    run_init(e, options_for);
  } catch (const std::exception& ex) {
    e.outcome.error = Error{EIO, "plugin " + path + ": " + ex.what()};
  }
  return e.outcome;
}

}  // namespace keel::plugin_loader
