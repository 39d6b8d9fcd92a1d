// The exec'd process: a --process file, or config.process overlaid with the flags (runc's
// getProcess in exec.go, including its error wording).
#include <charconv>

#include "exec_internal.hpp"
#include "keel/spec/parse.hpp"

namespace keel::exec_detail {
namespace {

Result<spec::Process> read_process_file(const std::string& path) {
  std::string text;
  {
    std::FILE* f = std::fopen(path.c_str(), "re");
    if (!f) return sys_error("open " + path);
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    std::fclose(f);
  }
  auto p = spec::parse_process(text);
  if (!p) return std::unexpected(p.error().context("parsing " + path));
  return p;
}

Result<uint32_t> parse_id(std::string_view text, std::string_view what) {
  uint32_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return fail("parsing " + std::string(text) + " as int for " + std::string(what) +
                " failed: strconv.Atoi: parsing \"" + std::string(text) + "\": invalid syntax");
  return v;
}

Result<void> apply_user(spec::User& user, const std::string& spec_text) {
  auto colon = spec_text.find(':');
  auto uid = parse_id(std::string_view(spec_text).substr(0, colon), "uid");
  if (!uid) return std::unexpected(uid.error());
  user.uid = *uid;
  if (colon != std::string::npos) {
    auto gid = parse_id(std::string_view(spec_text).substr(colon + 1), "gid");
    if (!gid) return std::unexpected(gid.error());
    user.gid = *gid;
  }
  return {};
}

}  // namespace

Result<spec::Process> build_process(const ExecOptions& o, const spec::Config& config) {
  if (!o.process_file.empty()) return read_process_file(o.process_file);
  if (!config.process) return fail("the container's config has no process");
  spec::Process p = *config.process;
  if (o.args.empty()) return fail("args must not be empty");
  p.args = o.args;
  if (!o.apparmor.empty()) p.apparmor_profile = o.apparmor;
  if (!o.process_label.empty()) p.selinux_label = o.process_label;
  if (!o.cwd.empty()) p.cwd = o.cwd;
  if (o.no_new_privs) p.no_new_privileges = true;
  if (!o.caps.empty()) {
    if (!p.capabilities) p.capabilities.emplace();
    auto& c = *p.capabilities;
    for (const auto& cap : o.caps) {
      c.bounding.push_back(cap);
      c.effective.push_back(cap);
      c.permitted.push_back(cap);
      // Ambient needs inheritable, which --cap never sets: only with inheritable in the spec.
      if (!c.inheritable.empty()) c.ambient.push_back(cap);
    }
  }
  p.env.insert(p.env.end(), o.env.begin(), o.env.end());
  p.terminal = o.tty;
  if (!o.user.empty()) {
    if (auto r = apply_user(p.user, o.user); !r) return std::unexpected(r.error());
  }
  for (const auto& g : o.additional_gids) {
    auto gid = parse_id(g, "gid");
    if (!gid) return std::unexpected(gid.error());
    p.user.additional_gids.push_back(*gid);
  }
  return p;
}

}  // namespace keel::exec_detail
