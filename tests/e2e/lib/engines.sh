# Starting, driving and stopping the three engines, each with its own state under $E2E_TMP and
# never the system defaults. Sourced by run.sh (start/stop) and by one.sh (the CLI wrappers).
#
# Runtimes are named by $E2E_RUNTIMES ("runc keel"); the binary of runtime NAME is in
# $E2E_RT_<NAME>. Each engine is pointed at every runtime at once:
#   ctr     ctr run --runc-binary BIN --runc-root $E2E_TMP/ctr-root/NAME
#   docker  dockerd --add-runtime e2e-NAME=BIN, docker run --runtime e2e-NAME
#   podman  podman --runtime BIN (on every call: podman resolves the runtime per command)

E2E_CTR_NS=keel-e2e
E2E_DOCKER_CGROUP_PARENT=/keel-e2e-docker
E2E_IMAGE_REF=${E2E_IMAGE_REF:-docker.io/keel-e2e/busybox:latest}

e2e_rt_bin() { local v="E2E_RT_$1"; printf '%s' "${!v}"; }

# ---- CLI wrappers (used by the scenarios) -------------------------------------------------------
# Each engine's command line as an array, so `script` (for a tty) can run it too.
e2e_argv() { # ENGINE: sets E2E_ARGV
  case $1 in
    ctr) E2E_ARGV=(ctr --address "$E2E_TMP/containerd/containerd.sock" --namespace "$E2E_CTR_NS") ;;
    docker) E2E_ARGV=(env "DOCKER_CONFIG=$E2E_TMP/docker/cli" /usr/bin/docker
      --host "unix://$E2E_TMP/docker/docker.sock") ;;
    podman) E2E_ARGV=(env "CONTAINERS_CONF=$E2E_TMP/podman/containers.conf"
      CONTAINERS_REGISTRIES_CONF=/dev/null podman --root "$E2E_TMP/podman/root"
      --runroot "$E2E_TMP/podman/run" --storage-driver overlay --cgroup-manager cgroupfs
      --events-backend file --tmpdir "$E2E_TMP/podman/tmp"
      --network-config-dir "$E2E_TMP/podman/net" --runtime "$(e2e_rt_bin "${E2E_RT:-runc}")") ;;
  esac
}
C() { local E2E_ARGV; e2e_argv ctr; "${E2E_ARGV[@]}" "$@"; }
D() { local E2E_ARGV; e2e_argv docker; "${E2E_ARGV[@]}" "$@"; }
P() { local E2E_ARGV; e2e_argv podman; "${E2E_ARGV[@]}" "$@"; }
# `ctr run` / `docker run` with the scenario's runtime ($E2E_RT).
CRUN() { C run --runc-binary "$(e2e_rt_bin "$E2E_RT")" --runc-root "$E2E_TMP/ctr-root/$E2E_RT" "$@"; }
DRUN() { D run --runtime "e2e-$E2E_RT" "$@"; }

# ---- lifecycle (run.sh) -------------------------------------------------------------------------
e2e_wait_for() { # SECONDS CMD...: retry CMD every 0.2 s
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.2
  done
}

e2e_start_containerd() {
  local d=$E2E_TMP/containerd
  mkdir -p "$d/root" "$d/state" "$d/opt"
  cat >"$d/config.toml" <<EOF
version = 2
root = "$d/root"
state = "$d/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.btrfs",
  "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.devmapper", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$d/containerd.sock"
[ttrpc]
  address = "$d/containerd.sock.ttrpc"
[debug]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$d/opt"
EOF
  containerd --config "$d/config.toml" >"$d/containerd.log" 2>&1 &
  echo $! >"$d/pid"
  e2e_wait_for 30 C version || { tail -20 "$d/containerd.log" >&2; return 1; }
}

e2e_start_dockerd() {
  local d=$E2E_TMP/docker rt args=()
  mkdir -p "$d/data" "$d/exec" "$d/cli"
  echo '{}' >"$d/daemon.json"
  for rt in $E2E_RUNTIMES; do args+=(--add-runtime "e2e-$rt=$(e2e_rt_bin "$rt")"); done
  # A private network namespace: dockerd's bridge, veths and iptables rules live only there.
  ip netns add "$E2E_NETNS"
  ip -n "$E2E_NETNS" link set lo up
  nsenter --net="/run/netns/$E2E_NETNS" dockerd --config-file "$d/daemon.json" \
    --data-root "$d/data" --exec-root "$d/exec" --pidfile "$d/dockerd.pid" \
    --host "unix://$d/docker.sock" --containerd "$E2E_TMP/containerd/containerd.sock" \
    --containerd-namespace keel-e2e-moby --containerd-plugins-namespace keel-e2e-moby-plugins \
    --cgroup-parent "$E2E_DOCKER_CGROUP_PARENT" --bip 10.199.0.1/24 --userland-proxy=false \
    --storage-driver overlay2 --log-level warn "${args[@]}" >"$d/dockerd.log" 2>&1 &
  echo $! >"$d/pid"
  e2e_wait_for 60 D version || { tail -20 "$d/dockerd.log" >&2; return 1; }
}

e2e_setup_podman() {
  local d=$E2E_TMP/podman nofile nproc
  # conmon runs with NPROC 32768 whatever the shell has; the container cannot get more.
  nofile=$(ulimit -Hn) nproc=$(ulimit -Hu)
  [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
  [ "$nofile" = unlimited ] || [ "$nofile" -gt 1048576 ] && nofile=1048576
  mkdir -p "$d/root" "$d/run" "$d/tmp" "$d/net"
  # No CAP_SYS_RESOURCE here: podman's default rlimits (NOFILE/NPROC 1048576) cannot be set, so
  # default_ulimits pins them to limits conmon really has. lock_type=file keeps the locks under
  # tmp_dir instead of /dev/shm/libpod_lock. keel is driven with --log-format json like runc.
  cat >"$d/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$d/events.log"
lock_type = "file"
tmp_dir = "$d/tmp"
static_dir = "$d/root/libpod"
volume_path = "$d/root/volumes"
runtime_supports_json = ["crun", "runc", "keel"]
EOF
}

e2e_import_images() {
  C image import "$E2E_TMP/image/image.tar" >/dev/null || return 1
  D load -i "$E2E_TMP/image/image.tar" >/dev/null || return 1
  P load -i "$E2E_TMP/image/image.tar" >/dev/null || return 1
}

# Remove every container the engines still know, then stop the daemons by PID.
e2e_stop_engines() {
  local pid
  if [ -S "$E2E_TMP/docker/docker.sock" ]; then
    D ps -aq 2>/dev/null | xargs -r timeout 60 /usr/bin/docker --host "unix://$E2E_TMP/docker/docker.sock" rm -f >/dev/null 2>&1
  fi
  if [ -f "$E2E_TMP/podman/containers.conf" ] && command -v podman >/dev/null; then
    local rt
    for rt in $E2E_RUNTIMES; do E2E_RT=$rt P rm -fa -t 0 >/dev/null 2>&1; done
  fi
  if [ -S "$E2E_TMP/containerd/containerd.sock" ]; then
    local c
    for c in $(C task ls -q 2>/dev/null); do C task kill -s SIGKILL "$c" >/dev/null 2>&1; done
    sleep 0.5
    for c in $(C container ls -q 2>/dev/null); do
      C task delete -f "$c" >/dev/null 2>&1
      C container delete "$c" >/dev/null 2>&1
    done
  fi
  for pid in "$(cat "$E2E_TMP/docker/pid" 2>/dev/null)" "$(cat "$E2E_TMP/containerd/pid" 2>/dev/null)"; do
    [ -n "$pid" ] || continue
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null
  done
  # Shims and conmons outlive their daemon; ours carry our temp dir in their command line.
  local p
  for p in $(pgrep -f -- "$E2E_TMP/" 2>/dev/null); do
    case "$(cat "/proc/$p/comm" 2>/dev/null)" in
      containerd-shim*|conmon) kill -KILL "$p" 2>/dev/null ;;
    esac
  done
  ip netns del "$E2E_NETNS" 2>/dev/null || true
}
