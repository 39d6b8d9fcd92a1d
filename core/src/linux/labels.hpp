// LSM labels the spec asks for (process.apparmorProfile, process.selinuxLabel, linux.mountLabel),
// resolved in the runtime before the clone: which labeler plugins apply, and whether a request
// can be honoured at all (runc skips a label when its LSM is disabled on the host; a SELinux
// label with no SELinux plugin installed fails closed).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "keel/error.hpp"
#include "keel/plugins.hpp"
#include "keel/spec/model.hpp"

namespace keel::runtime {

struct LabelPlan {
  struct Exec {
    Labeler labeler;
    std::string label;
  };
  std::vector<Exec> exec;    // set in the init at finalize's on_ready point
  std::string mount_option;  // for rootfs::Plan::mount_label
};

Result<LabelPlan> plan_labels(const PluginHost& host, const spec::Config& config);

// In the init: the exec labels (they take effect at execve).
Result<void> apply_exec_labels(const LabelPlan& plan);

}  // namespace keel::runtime
