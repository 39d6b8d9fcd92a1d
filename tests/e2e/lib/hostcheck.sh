# What the lane leaves on the host: it records what existed before, counts what the engines and
# runtimes left after each scenario, and removes what it created. Cgroup parents used:
# docker --cgroup-parent /keel-e2e-docker, ctr namespace keel-e2e (-> /keel-e2e/<id>),
# podman's own /libpod_parent. Nothing else (and never process_api) is touched.

e2e_cgroup_parent() {
  case $1 in docker) echo keel-e2e-docker ;; ctr) echo keel-e2e ;; podman) echo libpod_parent ;; esac
}
# Container-level cgroup dirs still present under the engine's parent, in every hierarchy.
e2e_cgroup_dirs() {
  local parent
  parent=$(e2e_cgroup_parent "$1")
  find /sys/fs/cgroup/*/"$parent" -mindepth 1 -type d 2>/dev/null
}
e2e_cgroups_left() { e2e_cgroup_dirs "$1" | wc -l; }
e2e_cgroups_clean() { e2e_cgroup_dirs "$1" | sort -r | xargs -r rmdir 2>/dev/null; return 0; }

e2e_host_snapshot() {
  E2E_HOST_BEFORE=$E2E_TMP/host-before
  mkdir -p "$E2E_HOST_BEFORE"
  local p
  for p in /run/containerd /run/docker /var/lib/containers /etc/docker/key.json /run/keel /run/runc; do
    [ -e "$p" ] && echo "$p"
  done >"$E2E_HOST_BEFORE/paths"
  ls /sys/fs/cgroup/*/ -d 2>/dev/null | while read -r c; do
    for p in keel-e2e-docker keel-e2e libpod_parent; do [ -d "$c$p" ] && echo "$c$p"; done
  done >"$E2E_HOST_BEFORE/cgroups"
  ls /run/keel /run/runc 2>/dev/null >"$E2E_HOST_BEFORE/states"
}

# Prints what is left (empty if nothing); called after the engines are stopped.
e2e_host_leftovers() {
  local out=() n e procs
  procs=$(pgrep -f -- "$E2E_TMP/" | grep -vx $$ | wc -l)
  [ "$procs" = 0 ] || out+=("$procs processes")
  for e in docker ctr podman; do
    n=$(e2e_cgroups_left $e)
    [ "$n" = 0 ] || out+=("$n cgroups under $(e2e_cgroup_parent $e)")
  done
  n=$(ls /run/keel /run/runc 2>/dev/null | grep -xE '[0-9a-f]{64}' | grep -vxFf "$E2E_HOST_BEFORE/states" | wc -l)
  [ "${n:-0}" = 0 ] || out+=("$n runtime state dirs in /run/keel or /run/runc")
  echo "${out[*]}"
}

e2e_host_restore() {
  local e d p
  for e in docker ctr podman; do e2e_cgroups_clean $e; done
  for d in /sys/fs/cgroup/*/keel-e2e-docker /sys/fs/cgroup/*/keel-e2e /sys/fs/cgroup/*/libpod_parent; do
    [ -d "$d" ] && ! grep -qxF "$d" "$E2E_HOST_BEFORE/cgroups" && rmdir "$d" 2>/dev/null
  done
  for d in /run/keel /run/runc; do
    for p in $(ls "$d" 2>/dev/null | grep -xE '[0-9a-f]{64}'); do
      grep -qxF "$p" "$E2E_HOST_BEFORE/states" || rm -rf "${d:?}/$p"
    done
  done
  for p in /run/containerd /run/docker /var/lib/containers /etc/docker/key.json; do
    [ -e "$p" ] && ! grep -qxF "$p" "$E2E_HOST_BEFORE/paths" && rm -rf "$p"
  done
  # Other users may share these two: only removed when new, and then only when nothing but
  # keel's own seccomp cache (made by podman's calls without --root) is left in them.
  for p in /run/keel /run/runc; do
    grep -qxF "$p" "$E2E_HOST_BEFORE/paths" && continue
    rm -rf "$p/@seccomp-cache"
    rmdir "$p" 2>/dev/null
  done
  return 0
}
