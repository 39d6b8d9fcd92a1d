// Typed C++ handles over each kind's C table: strings in, sinks out, keel_error -> keel::Error.
#include <rapidjson/document.h>

#include "call.hpp"
#include "keel/plugins.hpp"

namespace keel {

using plugin_call::invoke;
using plugin_call::StringSink;

namespace {

// Runs an operation that writes into a sink and returns what it wrote.
template <class Fn, class... Args>
Result<std::string> collect(const std::string& plugin, std::string_view op, Fn fn, Args... args) {
  StringSink sink;
  auto r = invoke(plugin, op, fn, args..., sink.get());
  if (!r) return std::unexpected(r.error());
  return sink.take();
}

Result<std::vector<pid_t>> parse_pids(const std::string& plugin, const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  auto bad = [&] {
    return fail("plugin " + plugin + ": pids: expected a JSON array of pids, got \"" +
                    json.substr(0, 80) + "\"",
                EPROTO);
  };
  if (doc.HasParseError() || !doc.IsArray()) return bad();
  std::vector<pid_t> pids;
  pids.reserve(doc.Size());
  for (auto& v : doc.GetArray()) {
    if (!v.IsInt() || v.GetInt() <= 0) return bad();
    pids.push_back(static_cast<pid_t>(v.GetInt()));
  }
  return pids;
}

}  // namespace

// ---- cgroup manager ---------------------------------------------------------------------------

Result<CgroupManager::Created> CgroupManager::create(const std::string& request_json) const {
  StringSink sink;
  int fd = -1;
  auto r = invoke(name_, "create", ops_->create, request_json.c_str(), sink.get(), &fd);
  UniqueFd clone_into(fd);  // owned even on failure, so a plugin's fd never leaks
  if (!r) return std::unexpected(r.error());
  return Created{sink.take(), std::move(clone_into)};
}

Result<void> CgroupManager::apply(const std::string& state, pid_t pid) const {
  return invoke(name_, "apply", ops_->apply, state.c_str(), pid);
}

Result<void> CgroupManager::set(const std::string& state, const std::string& resources) const {
  return invoke(name_, "set", ops_->set, state.c_str(), resources.c_str());
}

Result<void> CgroupManager::freeze(const std::string& state, bool frozen) const {
  return invoke(name_, "freeze", ops_->freeze, state.c_str(), frozen ? 1 : 0);
}

Result<std::string> CgroupManager::freezer_state(const std::string& state) const {
  return collect(name_, "freezer_state", ops_->freezer_state, state.c_str());
}

Result<std::string> CgroupManager::stats(const std::string& state) const {
  return collect(name_, "stats", ops_->stats, state.c_str());
}

Result<std::vector<pid_t>> CgroupManager::pids(const std::string& state) const {
  auto json = collect(name_, "pids", ops_->pids, state.c_str());
  if (!json) return std::unexpected(json.error());
  return parse_pids(name_, *json);
}

Result<void> CgroupManager::kill_all(const std::string& state, int signal) const {
  return invoke(name_, "kill_all", ops_->kill_all, state.c_str(), signal);
}

Result<void> CgroupManager::destroy(const std::string& state) const {
  return invoke(name_, "destroy", ops_->destroy, state.c_str());
}

Result<std::string> CgroupManager::features() const {
  return collect(name_, "features", ops_->features);
}

Result<std::string> CgroupManager::paths(const std::string& state) const {
  return collect(name_, "paths", ops_->paths, state.c_str());
}

// ---- syscall filter ---------------------------------------------------------------------------

Result<SyscallFilter::Program> SyscallFilter::compile(const std::string& seccomp_json,
                                                      const std::string& cache_dir) const {
  StringSink sink;
  uint32_t flags = 0;
  int needs_listener = 0;
  auto r =
      invoke(name_, "compile", ops_->compile, seccomp_json.c_str(),
             cache_dir.empty() ? nullptr : cache_dir.c_str(), sink.get(), &flags, &needs_listener);
  if (!r) return std::unexpected(r.error());
  return Program{sink.take(), flags, needs_listener != 0};
}

Result<std::string> SyscallFilter::features() const {
  return collect(name_, "features", ops_->features);
}

// ---- labeler ----------------------------------------------------------------------------------

bool Labeler::enabled() const {
  if (ops_->enabled == nullptr) return false;
  try {
    return ops_->enabled() == 1;
  } catch (...) {
    return false;
  }
}

Result<void> Labeler::validate(const std::string& label) const {
  return invoke(name_, "validate", ops_->validate, label.c_str());
}

Result<void> Labeler::set_exec_label(const std::string& label) const {
  return invoke(name_, "set_exec_label", ops_->set_exec_label, label.c_str());
}

Result<std::string> Labeler::mount_option(const std::string& mount_label) const {
  return collect(name_, "mount_option", ops_->mount_option, mount_label.c_str());
}

Result<void> Labeler::set_keyring_label(const std::string& label) const {
  return invoke(name_, "set_keyring_label", ops_->set_keyring_label, label.c_str());
}

// ---- checkpointer -----------------------------------------------------------------------------

Result<void> Checkpointer::check() const {
  return invoke(name_, "check", ops_->check);
}

Result<void> Checkpointer::dump(const std::string& request_json) const {
  return invoke(name_, "dump", ops_->dump, request_json.c_str());
}

Result<std::string> Checkpointer::restore(const std::string& request_json) const {
  return collect(name_, "restore", ops_->restore, request_json.c_str());
}

}  // namespace keel
