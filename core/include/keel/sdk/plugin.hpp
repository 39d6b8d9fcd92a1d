// The keel plugin SDK: write a plugin as a C++ class, get the C ABI table for free.
// Header-only; in-tree plugins use exactly what vendors use. Every trampoline is noexcept.
#pragma once

#include <sys/types.h>

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>
#include <type_traits>

#include "keel/error.hpp"
#include "keel/plugin_abi.h"

namespace keel::sdk {

// The host's services as seen from a plugin (only logging for now).
class Host {
 public:
  explicit Host(const keel_host* raw = nullptr) : raw_(raw) {}
  // level: 0 debug, 1 info, 2 warning, 3 error.
  void log(int level, std::string_view message) const {
    if (raw_ == nullptr || raw_->log == nullptr) return;
    std::string text(message);
    raw_->log(raw_->ctx, level, text.c_str());
  }

 private:
  const keel_host* raw_;
};

inline void emit(keel_sink* sink, std::string_view data) {
  if (sink != nullptr && sink->write != nullptr) sink->write(sink->ctx, data.data(), data.size());
}

inline void fill_error(keel_error* out, int err, std::string_view message) {
  if (out == nullptr) return;
  out->err = err;
  size_t n = std::min(message.size(), sizeof(out->message) - 1);
  message.copy(out->message, n);
  out->message[n] = '\0';
}

// Runs `body` (returning Result<void>) and turns success into 0, an error or any exception into
// -1 with *error filled: nothing escapes into the host.
template <class Body>
int guarded(keel_error* error, Body&& body) noexcept {
  try {
    Result<void> r = body();
    if (r) return 0;
    fill_error(error, r.error().code, r.error().message);
  } catch (const std::exception& ex) {
    fill_error(error, EIO, std::string("plugin raised an exception: ") + ex.what());
  } catch (...) {
    fill_error(error, EIO, "plugin raised an unknown exception");
  }
  return -1;
}

inline std::string_view view(const char* s) {
  return s ? std::string_view(s) : std::string_view();
}

// One instance per plugin class, created on first use (inside a guarded call).
template <class Plugin>
Plugin& instance() {
  static Plugin plugin;
  return plugin;
}

template <class Plugin>
int init_trampoline(const keel_host* host, const char* options, keel_error* error) noexcept {
  return guarded(error, [&] { return instance<Plugin>().init(Host(host), view(options)); });
}

// ---- cgroup managers ----------------------------------------------------------------------

class CgroupManagerPlugin {
 public:
  virtual ~CgroupManagerPlugin() = default;
  virtual Result<void> init(const Host&, std::string_view /*options*/) { return {}; }
  struct Created {
    std::string state;       // the manager's JSON state, stored by the host
    int clone_into_fd = -1;  // cgroup v2 dirfd for CLONE_INTO_CGROUP, ownership passes to host
  };
  virtual Result<Created> create(std::string_view request) = 0;
  virtual Result<void> apply(std::string_view state, pid_t pid) = 0;
  virtual Result<void> set(std::string_view state, std::string_view resources) = 0;
  virtual Result<void> freeze(std::string_view state, bool frozen) = 0;
  virtual Result<std::string> freezer_state(std::string_view state) = 0;
  virtual Result<std::string> stats(std::string_view state) = 0;
  virtual Result<std::string> pids(std::string_view state) = 0;  // JSON array of pids
  virtual Result<void> kill_all(std::string_view state, int signal) = 0;
  virtual Result<void> destroy(std::string_view state) = 0;
  virtual Result<std::string> features() = 0;
  virtual Result<std::string> paths(std::string_view state) = 0;
};

// Adapts a Result<std::string> producer to "write into the sink".
template <class Producer>
int produce(keel_sink* out, keel_error* error, Producer&& producer) noexcept {
  return guarded(error, [&]() -> Result<void> {
    auto r = producer();
    if (!r) return std::unexpected(r.error());
    emit(out, *r);
    return {};
  });
}

template <class P>
const keel_cgroup_ops* cgroup_ops() {
  static const keel_cgroup_ops ops = {
      sizeof(keel_cgroup_ops),
      [](const char* request, keel_sink* state_out, int* clone_into_fd,
         keel_error* error) noexcept {
        if (clone_into_fd) *clone_into_fd = -1;
        return guarded(error, [&]() -> Result<void> {
          auto r = instance<P>().create(view(request));
          if (!r) return std::unexpected(r.error());
          emit(state_out, r->state);
          if (clone_into_fd) *clone_into_fd = r->clone_into_fd;
          return {};
        });
      },
      [](const char* state, pid_t pid, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().apply(view(state), pid); });
      },
      [](const char* state, const char* resources, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().set(view(state), view(resources)); });
      },
      [](const char* state, int frozen, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().freeze(view(state), frozen != 0); });
      },
      [](const char* state, keel_sink* out, keel_error* error) noexcept {
        return produce(out, error, [&] { return instance<P>().freezer_state(view(state)); });
      },
      [](const char* state, keel_sink* out, keel_error* error) noexcept {
        return produce(out, error, [&] { return instance<P>().stats(view(state)); });
      },
      [](const char* state, keel_sink* out, keel_error* error) noexcept {
        return produce(out, error, [&] { return instance<P>().pids(view(state)); });
      },
      [](const char* state, int signal, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().kill_all(view(state), signal); });
      },
      [](const char* state, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().destroy(view(state)); });
      },
      [](keel_sink* out, keel_error* error) noexcept {
        return produce(out, error, [&] { return instance<P>().features(); });
      },
      [](const char* state, keel_sink* out, keel_error* error) noexcept {
        return produce(out, error, [&] { return instance<P>().paths(view(state)); });
      },
  };
  return &ops;
}

// ---- syscall filters ----------------------------------------------------------------------

class SyscallFilterPlugin {
 public:
  virtual ~SyscallFilterPlugin() = default;
  virtual Result<void> init(const Host&, std::string_view /*options*/) { return {}; }
  struct Program {
    std::string bpf;  // raw struct sock_filter[]
    uint32_t flags = 0;
    bool needs_listener = false;
  };
  // cache_dir is empty when caching is off.
  virtual Result<Program> compile(std::string_view seccomp, std::string_view cache_dir) = 0;
  virtual Result<std::string> features() = 0;
};

template <class P>
const keel_syscall_filter_ops* syscall_filter_ops() {
  static const keel_syscall_filter_ops ops = {
      sizeof(keel_syscall_filter_ops),
      [](const char* seccomp, const char* cache_dir, keel_sink* bpf_out, uint32_t* flags,
         int* needs_listener, keel_error* error) noexcept {
        return guarded(error, [&]() -> Result<void> {
          auto r = instance<P>().compile(view(seccomp), view(cache_dir));
          if (!r) return std::unexpected(r.error());
          emit(bpf_out, r->bpf);
          if (flags) *flags = r->flags;
          if (needs_listener) *needs_listener = r->needs_listener ? 1 : 0;
          return {};
        });
      },
      [](keel_sink* out, keel_error* error) noexcept {
        return produce(out, error, [&] { return instance<P>().features(); });
      },
  };
  return &ops;
}

// ---- LSM labelers -------------------------------------------------------------------------

class LabelerPlugin {
 public:
  virtual ~LabelerPlugin() = default;
  virtual Result<void> init(const Host&, std::string_view /*options*/) { return {}; }
  virtual bool enabled() = 0;
  virtual Result<void> validate(std::string_view label) = 0;
  virtual Result<void> set_exec_label(std::string_view label) = 0;
  virtual Result<std::string> mount_option(std::string_view mount_label) = 0;
  virtual Result<void> set_keyring_label(std::string_view label) = 0;
};

template <class P>
const keel_labeler_ops* labeler_ops() {
  static const keel_labeler_ops ops = {
      sizeof(keel_labeler_ops),
      []() noexcept -> int {
        try {
          return instance<P>().enabled() ? 1 : 0;
        } catch (...) {
          return 0;
        }
      },
      [](const char* label, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().validate(view(label)); });
      },
      [](const char* label, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().set_exec_label(view(label)); });
      },
      [](const char* mount_label, keel_sink* out, keel_error* error) noexcept {
        return produce(out, error, [&] { return instance<P>().mount_option(view(mount_label)); });
      },
      [](const char* label, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().set_keyring_label(view(label)); });
      },
  };
  return &ops;
}

// ---- checkpointers ------------------------------------------------------------------------

class CheckpointerPlugin {
 public:
  virtual ~CheckpointerPlugin() = default;
  virtual Result<void> init(const Host&, std::string_view /*options*/) { return {}; }
  virtual Result<void> check() = 0;
  virtual Result<void> dump(std::string_view request) = 0;
  virtual Result<std::string> restore(std::string_view request) = 0;
};

template <class P>
const keel_checkpointer_ops* checkpointer_ops() {
  static const keel_checkpointer_ops ops = {
      sizeof(keel_checkpointer_ops),
      [](keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().check(); });
      },
      [](const char* request, keel_error* error) noexcept {
        return guarded(error, [&] { return instance<P>().dump(view(request)); });
      },
      [](const char* request, keel_sink* out, keel_error* error) noexcept {
        return produce(out, error, [&] { return instance<P>().restore(view(request)); });
      },
  };
  return &ops;
}

// ---- the descriptor -----------------------------------------------------------------------

template <class P>
const void* ops_for(keel_plugin_kind kind) {
  switch (kind) {
    case KEEL_PLUGIN_CGROUP_MANAGER:
      if constexpr (std::is_base_of_v<CgroupManagerPlugin, P>) return cgroup_ops<P>();
      break;
    case KEEL_PLUGIN_SYSCALL_FILTER:
      if constexpr (std::is_base_of_v<SyscallFilterPlugin, P>) return syscall_filter_ops<P>();
      break;
    case KEEL_PLUGIN_LABELER:
      if constexpr (std::is_base_of_v<LabelerPlugin, P>) return labeler_ops<P>();
      break;
    case KEEL_PLUGIN_CHECKPOINTER:
      if constexpr (std::is_base_of_v<CheckpointerPlugin, P>) return checkpointer_ops<P>();
      break;
  }
  return nullptr;
}

template <class P>
const keel_plugin_descriptor* describe(keel_plugin_kind kind, const char* name, const char* version,
                                       uint16_t host_major) noexcept {
  // A host of another major speaks another table layout: say nothing rather than mislead it.
  if (host_major != KEEL_PLUGIN_ABI_MAJOR) return nullptr;
  static const keel_plugin_descriptor descriptor = {
      KEEL_PLUGIN_MAGIC,
      sizeof(keel_plugin_descriptor),
      KEEL_PLUGIN_ABI_MAJOR,
      KEEL_PLUGIN_ABI_MINOR,
      static_cast<uint32_t>(kind),
      name,
      version,
      ops_for<P>(kind),
      &init_trampoline<P>,
  };
  return &descriptor;
}

}  // namespace keel::sdk

// Exports the plugin's single entry point. Use once per plugin .so, at namespace scope:
//   KEEL_PLUGIN(KEEL_PLUGIN_CGROUP_MANAGER, MyManager, "cgroupfs", "0.1.0")
#define KEEL_PLUGIN(kind, Class, name, version)                                   \
  extern "C" __attribute__((visibility("default"))) const keel_plugin_descriptor* \
  keel_plugin_entry(uint16_t host_abi_major, uint16_t /*host_abi_minor*/) {       \
    return ::keel::sdk::describe<Class>(kind, name, version, host_abi_major);     \
  }
