#!/usr/bin/env bash
# Runs a command in a private mount namespace whose /sys/fs/cgroup holds only the cgroup v1
# hierarchies (no cgroup2 "unified" mount). Debian's crun refuses this host's hybrid layout; in
# this view it runs. The benchmarks run all three runtimes inside the same view so conditions match.
# Nothing changes for the host: the namespace is private and disappears with the command.
set -euo pipefail
exec unshare --mount --propagation private -- bash -c '
  set -euo pipefail
  opts=()
  # mountinfo: "<id> <parent> <dev> <root> <mount point> <opts> [optional...] - <fstype> <source> <superopts>"
  while read -r mnt fstype superopts; do
    [ "$fstype" = cgroup ] || continue
    [[ "$mnt" == /sys/fs/cgroup/* ]] || continue
    # keep the controller options (cpu, memory, name=systemd...) of each hierarchy
    o=$(echo "$superopts" | tr , "\n" | grep -Ev "^(rw|ro|relatime|noatime|nosuid|nodev|noexec)$" | paste -sd, -)
    opts+=("${mnt##*/}:$o")
  done < <(awk -F" - " "{split(\$1,a,\" \"); split(\$2,b,\" \"); print a[5], b[1], b[3]}" /proc/self/mountinfo)
  mount -t tmpfs -o mode=755 tmpfs /sys/fs/cgroup
  for entry in "${opts[@]}"; do
    name=${entry%%:*}; o=${entry#*:}
    mkdir -p "/sys/fs/cgroup/$name"
    case "$o" in name=*) o="none,$o" ;; esac
    mount -t cgroup -o "$o" cgroup "/sys/fs/cgroup/$name"
  done
  exec "$@"
' keel-v1-cgroups "$@"
