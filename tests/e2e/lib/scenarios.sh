# The scenarios. Each prints what it observed on stdout (one fact a line); run.sh runs it once
# with runc and once with keel and compares the two outputs after normalising ids. A scenario
# runs in its own bash (one.sh) with $E2E_ENGINE, $E2E_RT set; X/XRUN are the engine's CLI
# (docker and podman take the same flags for everything used here).

# Scenario lists, in the order they run.
E2E_SCENARIOS_docker="run-rm exit-code mounts detached-logs exec exec-tty pause-unpause update top
  stop kill restart rm cmd-missing-127 cmd-noexec-126 seccomp-default bridge-network"
E2E_SCENARIOS_podman="run-rm exit-code mounts detached-logs exec exec-tty pause-unpause update top
  stop kill restart rm cmd-missing-127 cmd-noexec-126 seccomp-default"
# ctr has no logs/update/restart commands: those are docker/podman scenarios only.
E2E_SCENARIOS_ctr="run-rm exit-code mounts detached-logs exec exec-tty pause-unpause top stop kill
  rm cmd-missing-127 cmd-noexec-126 seccomp-default"

IMG=${E2E_IMAGE_REF:-docker.io/keel-e2e/busybox:latest}
SLEEPER='echo ready; exec sleep 1000'
# The mount table (the root's options name engine-private snapshot paths), /dev, the cgroup view.
# Sorted: podman hands the /etc binds over in a different order each time.
MOUNT_REPORT='awk "{ if (\$2 == \"/\") print \$2, \$3; else print \$2, \$3, \$4 }" /proc/self/mounts | sort; ls /dev; ls /sys/fs/cgroup'
# What a container reports about itself; identical under runc and keel for the same engine.
SELF_REPORT='echo hello; id; pwd; grep -E "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):" /proc/self/status; ulimit -n; hostname | wc -c'

X() { if [ "$E2E_ENGINE" = docker ]; then D "$@"; else P "$@"; fi; }
XRUN() { if [ "$E2E_ENGINE" = docker ]; then DRUN --network none "$@"; else P run --network none "$@"; fi; }
# Removal without podman's 10 s SIGTERM grace (docker rm -f kills at once).
xrm() { if [ "$E2E_ENGINE" = docker ]; then D rm -f "$@"; else P rm -f -t 0 "$@"; fi; }
xstatus() { X inspect -f '{{.State.Status}} exit={{.State.ExitCode}}' "$1"; }
xpid() { X inspect -f '{{.State.Pid}}' "$1"; }
start_sleeper() { XRUN -d --name "$1" "$IMG" sh -c "$SLEEPER" >/dev/null && wait_log "$1" ready; }
# A scenario whose container did not start stops there (its output then differs from runc's).

wait_log() { # NAME PATTERN [COUNT]: until the container's logs hold COUNT lines matching PATTERN
  local i n st
  for i in $(seq 75); do
    if [ "$E2E_ENGINE" = ctr ]; then
      n=$(grep -c -- "$2" "$E2E_TMP/ctr-logs/$E2E_RT/$1.log" 2>/dev/null)
      st=$(C task ls | awk -v n="$1" '$1==n {print $3}')
    else
      n=$(X logs "$1" 2>&1 | grep -c -- "$2")
      st=$(X inspect -f '{{.State.Status}}' "$1" 2>/dev/null)
    fi
    [ "${n:-0}" -ge "${3:-1}" ] && return 0
    # Not running (and not being restarted) after a second: it will not print anything more.
    case $st in running|RUNNING|restarting) ;; *) [ "$i" -gt 5 ] && break ;; esac
    sleep 0.2
  done
  echo "timeout waiting for '$2' in the logs of $1"
  return 1
}
wait_status() { # NAME STATUS
  local i
  for i in $(seq 100); do
    case $E2E_ENGINE in
      ctr) [ "$(C task ls | awk -v n="$1" '$1==n {print $3}')" = "$2" ] && return 0 ;;
      *) [ "$(X inspect -f '{{.State.Status}}' "$1" 2>/dev/null)" = "$2" ] && return 0 ;;
    esac
    sleep 0.2
  done
  echo "timeout waiting for $1 to be $2"
  return 1
}
cgread() { # PID CONTROLLER FILE: a cgroup v1 file of the process's cgroup, read from the host
  local path
  path=$(awk -F: -v c="$2" '{ n = split($2, a, ","); for (i = 1; i <= n; i++) if (a[i] == c) print $3 }' "/proc/$1/cgroup")
  echo "$2/$3=$(cat "/sys/fs/cgroup/$2$path/$3" 2>&1)"
}
# Output of a failed start: the exit code, whether the error names the command (a failure for
# another reason, e.g. a missing log file, must not pass), and the part an engine maps to 126/127.
failed_start() { # CMD... (the last argument is the container's command)
  local err=$E2E_TMP/last-stderr rc bin=${!#}
  "$@" 2>"$err"
  rc=$?
  cat "$err" >&2
  echo "exit=$rc"
  grep -q -- "$bin" "$err" && echo "error-names-the-command" || echo "error-does-not-name-the-command"
  grep -o -i -m1 -E 'no such file or directory|executable file not found|permission denied' "$err" | head -1 | tr 'A-Z' 'a-z'
}
in_tty() { # CMD...: runs CMD on a fresh pty (the engines' -t needs a terminal on our side)
  # ctr's console resizer may race the exit and log "resize pty": not the runtime's doing.
  # script's stdin is a FIFO held open read-write, so it never reaches end of file: on EOF script
  # types its EOF character into the pty, the engine forwards it into the container's terminal,
  # and the echo ("^@") raced the command's output under runc and keel alike.
  local fifo rc
  fifo=$(mktemp -u "$E2E_TMP/tty-stdin.XXXXXX") && mkfifo "$fifo" || return 1
  script -qec "$(printf '%q ' "$@")" /dev/null 0<>"$fifo" | tr -d '\r\000' | grep -v 'resize pty'
  rc=${PIPESTATUS[0]}
  rm -f "$fifo"
  echo "exit=$rc"
}

# ---- docker and podman ---------------------------------------------------------------------------
sc_run_rm() {
  XRUN --rm --name e2e-run-rm "$IMG" sh -c "$SELF_REPORT"
  echo "exit=$?"
  echo "left=$(X ps -aq --filter name=e2e-run-rm | wc -l)"
}
sc_exit_code() {
  XRUN --rm --name e2e-exit "$IMG" sh -c 'exit 42'
  echo "exit=$?"
}
sc_mounts() {
  XRUN --rm --name e2e-mounts "$IMG" sh -c "$MOUNT_REPORT"
  echo "exit=$?"
}
sc_detached_logs() {
  XRUN -d --name e2e-logs "$IMG" sh -c 'echo to-stdout; echo to-stderr >&2; echo ready; exec sleep 1000' >/dev/null
  echo "run=$?"
  wait_log e2e-logs ready || return 1
  X logs e2e-logs 2>&1 | sort
  xstatus e2e-logs
}
sc_exec() {
  start_sleeper e2e-exec || return 1
  X exec e2e-exec sh -c 'echo in-exec; cat /proc/1/comm; id -u; exit 7'
  echo "exec-exit=$?"
  X exec -e E2E_VAR=seen -w /tmp e2e-exec sh -c 'echo $E2E_VAR; pwd'
  echo "exec-env-exit=$?"
  xstatus e2e-exec
}
sc_exec_tty() {
  start_sleeper e2e-exec-tty || return 1
  local E2E_ARGV
  e2e_argv "$E2E_ENGINE"
  in_tty "${E2E_ARGV[@]}" exec -t e2e-exec-tty sh -c 'tty; [ -t 1 ] && echo stdout-is-a-tty'
}
sc_pause_unpause() {
  start_sleeper e2e-pause || return 1
  local pid
  pid=$(xpid e2e-pause)
  X pause e2e-pause >/dev/null
  echo "pause=$?"
  xstatus e2e-pause
  cgread "$pid" freezer freezer.state
  X unpause e2e-pause >/dev/null
  echo "unpause=$?"
  xstatus e2e-pause
  cgread "$pid" freezer freezer.state
  X exec e2e-pause echo alive-after-unpause
}
sc_update() {
  local pids_flag=() pid
  [ "$E2E_ENGINE" = docker ] && pids_flag=(--pids-limit 50) # podman 4.3 update has no pids flag
  XRUN -d --name e2e-update --memory 256m --pids-limit 100 "$IMG" sh -c "$SLEEPER" >/dev/null
  wait_log e2e-update ready || return 1
  pid=$(xpid e2e-update)
  cgread "$pid" memory memory.limit_in_bytes
  cgread "$pid" pids pids.max
  X update --memory 128m --memory-swap 256m "${pids_flag[@]}" e2e-update >/dev/null
  echo "update=$?"
  cgread "$pid" memory memory.limit_in_bytes
  cgread "$pid" pids pids.max
  xstatus e2e-update
}
top_list() ( # the engine's top, failing when it fails
  set -o pipefail
  if [ "$E2E_ENGINE" = docker ]; then
    D top e2e-top -o pid,args | awk 'NR > 1 { $1 = ""; sub(/^ /, ""); print }' | sort
  else
    P top e2e-top args | tail -n +2 | sed 's/ *$//' | sort
  fi
)
sc_top() {
  # No "ready" line: both sleeps must have exec'd before top is asked, so poll top itself.
  XRUN -d --name e2e-top "$IMG" sh -c 'sleep 1000 & exec sleep 1001' >/dev/null || return 1
  local i
  for i in $(seq 25); do
    [ "$(top_list 2>/dev/null | grep -c '^sleep 100[01]$')" = 2 ] && break
    sleep 0.2
  done
  top_list
  echo "top-exit=${PIPESTATUS[0]}"
}
sc_stop() {
  XRUN -d --name e2e-stop "$IMG" sh -c 'trap "echo got-sigterm; exit 3" TERM; echo ready; while :; do sleep 0.1; done' >/dev/null
  wait_log e2e-stop ready || return 1
  X stop -t 20 e2e-stop >/dev/null
  echo "stop=$?"
  xstatus e2e-stop
  X logs e2e-stop 2>&1 | grep got-sigterm
}
sc_kill() {
  start_sleeper e2e-kill || return 1
  X kill e2e-kill >/dev/null
  echo "kill=$?"
  wait_status e2e-kill exited
  xstatus e2e-kill
}
sc_restart() {
  XRUN -d --name e2e-restart "$IMG" sh -c 'echo started; trap "exit 0" TERM; while :; do sleep 0.1; done' >/dev/null
  wait_log e2e-restart started || return 1
  X restart -t 20 e2e-restart >/dev/null
  echo "restart=$?"
  wait_log e2e-restart started 2
  xstatus e2e-restart
  echo "starts=$(X logs e2e-restart 2>&1 | grep -c started)"
}
sc_rm() {
  start_sleeper e2e-rm || return 1
  local pid id
  pid=$(xpid e2e-rm)
  id=$(X inspect -f '{{.Id}}' e2e-rm)
  xrm e2e-rm >/dev/null
  echo "rm=$?"
  echo "left=$(X ps -aq --filter name=e2e-rm | wc -l)"
  kill -0 "$pid" 2>/dev/null && echo init-alive || echo init-gone
  local state=/run/$E2E_RT/$id # podman passes no --root: the runtime's default state dir
  [ "$E2E_ENGINE" = docker ] && state=$E2E_TMP/docker/exec/runtime-e2e-$E2E_RT/moby/$id
  [ -e "$state" ] && echo "runtime-state-left" || echo "runtime-state-gone"
}
sc_cmd_missing_127() { failed_start XRUN --rm --name e2e-127 "$IMG" /does-not-exist; }
sc_cmd_noexec_126() { failed_start XRUN --rm --name e2e-126 "$IMG" /not-executable; }
sc_seccomp_default() {
  XRUN --rm --name e2e-seccomp "$IMG" sh -c 'grep -E "^Seccomp(_filters)?:" /proc/self/status; unshare -U true 2>/dev/null; echo unshare-userns=$?'
  echo "exit=$?"
  # The same without a profile, so the check above is seen to depend on the profile.
  XRUN --rm --name e2e-seccomp-off --security-opt seccomp=unconfined "$IMG" sh -c 'grep -E "^Seccomp:" /proc/self/status'
  echo "unconfined-exit=$?"
}
sc_docker_bridge_network() {
  DRUN --rm --name e2e-bridge --network bridge "$IMG" sh -c '
    ip -4 -o addr show eth0 | grep -q "inet 10\.199\.0\." && echo eth0-on-the-bridge
    gw=$(ip route | awk "/^default/ {print \$3}"); echo "gateway=$gw"
    ping -c1 -W2 "$gw" >/dev/null && echo gateway-answers'
  echo "exit=$?"
}

# ---- ctr -------------------------------------------------------------------------------------------
ctr_start() { # NAME SCRIPT: a detached task whose output goes to a file
  mkdir -p "$E2E_TMP/ctr-logs/$E2E_RT"
  CRUN -d --log-uri "file://$E2E_TMP/ctr-logs/$E2E_RT/$1.log" "$IMG" "$1" sh -c "$2" >/dev/null
  local rc=$?
  echo "run=$rc"
  [ $rc = 0 ] && wait_log "$1" ready
}
ctr_status() { echo "status=$(C task ls | awk -v n="$1" '$1==n {print $3}')"; }
ctr_pid() { C task ls | awk -v n="$1" '$1==n {print $2}'; }
sc_ctr_run_rm() {
  CRUN --rm "$IMG" e2e-run-rm sh -c "$SELF_REPORT"
  echo "exit=$?"
  echo "left=$(C container ls -q | grep -c e2e-run-rm)"
}
sc_ctr_exit_code() {
  CRUN --rm "$IMG" e2e-exit sh -c 'exit 42'
  echo "exit=$?"
}
sc_ctr_mounts() {
  CRUN --rm "$IMG" e2e-mounts sh -c "$MOUNT_REPORT"
  echo "exit=$?"
}
sc_ctr_detached_logs() {
  ctr_start e2e-logs 'echo to-stdout; echo to-stderr >&2; echo ready; exec sleep 1000' || return 1
  sort "$E2E_TMP/ctr-logs/$E2E_RT/e2e-logs.log"
  ctr_status e2e-logs
}
sc_ctr_exec() {
  ctr_start e2e-exec "$SLEEPER" || return 1
  C task exec --exec-id x1 e2e-exec sh -c 'echo in-exec; cat /proc/1/comm; id -u; exit 7'
  echo "exec-exit=$?"
  C task exec --exec-id x2 --cwd /tmp e2e-exec sh -c 'echo seen; pwd' # ctr 1.6 exec has no --env
  echo "exec-env-exit=$?"
  ctr_status e2e-exec
}
sc_ctr_exec_tty() {
  ctr_start e2e-exec-tty "$SLEEPER" || return 1
  local E2E_ARGV
  e2e_argv ctr
  in_tty "${E2E_ARGV[@]}" task exec -t --exec-id t1 e2e-exec-tty sh -c 'tty; [ -t 1 ] && echo stdout-is-a-tty'
}
sc_ctr_pause_unpause() {
  ctr_start e2e-pause "$SLEEPER" || return 1
  local pid
  pid=$(ctr_pid e2e-pause)
  C task pause e2e-pause
  echo "pause=$?"
  ctr_status e2e-pause
  cgread "$pid" freezer freezer.state
  C task resume e2e-pause
  echo "resume=$?"
  ctr_status e2e-pause
  cgread "$pid" freezer freezer.state
}
sc_ctr_top() {
  ctr_start e2e-top 'sleep 1000 & echo ready; exec sleep 1001' || return 1
  echo "pids=$(C task ps e2e-top | tail -n +2 | wc -l)"
}
sc_ctr_stop() {
  ctr_start e2e-stop 'trap "echo got-sigterm; exit 3" TERM; echo ready; while :; do sleep 0.1; done' || return 1
  C task kill -s SIGTERM e2e-stop
  echo "kill=$?"
  wait_status e2e-stop STOPPED
  C task delete e2e-stop
  echo "delete-exit=$?"
  grep got-sigterm "$E2E_TMP/ctr-logs/$E2E_RT/e2e-stop.log"
}
sc_ctr_kill() {
  ctr_start e2e-kill "$SLEEPER" || return 1
  C task kill -s SIGKILL e2e-kill
  echo "kill=$?"
  wait_status e2e-kill STOPPED
  C task delete e2e-kill
  echo "delete-exit=$?"
}
sc_ctr_rm() {
  ctr_start e2e-rm "$SLEEPER" || return 1
  local pid
  pid=$(ctr_pid e2e-rm)
  C task delete -f e2e-rm >/dev/null
  echo "task-delete=$?"
  C container delete e2e-rm
  echo "container-delete=$?"
  echo "left=$(C container ls -q | grep -c e2e-rm)"
  kill -0 "$pid" 2>/dev/null && echo init-alive || echo init-gone
  [ -e "$E2E_TMP/ctr-root/$E2E_RT/e2e-rm" ] && echo runtime-state-left || echo runtime-state-gone
}
sc_ctr_cmd_missing_127() { failed_start CRUN --rm "$IMG" e2e-127 /does-not-exist; }
sc_ctr_cmd_noexec_126() { failed_start CRUN --rm "$IMG" e2e-126 /not-executable; }
sc_ctr_seccomp_default() {
  CRUN --rm --seccomp "$IMG" e2e-seccomp sh -c 'grep -E "^Seccomp(_filters)?:" /proc/self/status; unshare -U true 2>/dev/null; echo unshare-userns=$?'
  echo "exit=$?"
  CRUN --rm "$IMG" e2e-seccomp-off sh -c 'grep -E "^Seccomp:" /proc/self/status'
  echo "unconfined-exit=$?"
}

# Removes whatever a scenario left (run after each one, whatever its outcome).
e2e_cleanup_scenario() {
  case $E2E_ENGINE in
    docker)
      local ids
      ids=$(D ps -aq)
      [ -z "$ids" ] || D rm -f $ids >/dev/null 2>&1 ;;
    podman) P rm -fa -t 0 >/dev/null 2>&1 ;;
    ctr)
      local c
      for c in $(C task ls -q); do C task kill -s SIGKILL "$c" >/dev/null 2>&1; done
      for c in $(C container ls -q); do
        for _ in 1 2 3 4 5; do C task delete -f "$c" >/dev/null 2>&1 && break; C task ls -q | grep -qx "$c" || break; sleep 0.2; done
        C container delete "$c" >/dev/null 2>&1
      done ;;
  esac
  return 0
}

# What the reference must show for the comparison to mean anything: full-line regexes, one a line,
# looked up as "engine/scenario" and then "scenario". A runc output missing one is a lane FAIL.
declare -A E2E_WANT=(
  [run-rm]=$'hello\nexit=0\nleft=0\nSeccomp:\t[02]'
  [exit-code]=$'exit=42'
  [mounts]=$'exit=0\n/proc proc rw,nosuid,nodev,noexec,relatime\n/dev tmpfs .*'
  [detached-logs]=$'to-stdout\nto-stderr\n(running exit=0|status=RUNNING)'
  [exec]=$'in-exec\nexec-exit=7\nseen\n/tmp'
  [exec-tty]=$'/dev/pts/[0-9]+\nstdout-is-a-tty\nexit=0'
  [pause-unpause]=$'freezer/freezer.state=FROZEN\nfreezer/freezer.state=THAWED'
  [update]=$'memory/memory.limit_in_bytes=268435456\nupdate=0\nmemory/memory.limit_in_bytes=134217728'
  [docker/update]=$'memory/memory.limit_in_bytes=268435456\nupdate=0\nmemory/memory.limit_in_bytes=134217728\npids/pids.max=100\npids/pids.max=50'
  [top]=$'sleep 1000\nsleep 1001\ntop-exit=0'
  [ctr/top]=$'pids=2'
  [podman/top]=$'sleep 1000\nsleep 1001'
  [stop]=$'got-sigterm\nexited exit=3'
  [ctr/stop]=$'got-sigterm\nkill=0'
  [kill]=$'exited exit=137'
  [ctr/kill]=$'kill=0\ndelete-exit=0'
  [restart]=$'restart=0\nstarts=2\nrunning exit=0'
  [rm]=$'rm=0\nleft=0\ninit-gone\nruntime-state-gone'
  [ctr/rm]=$'task-delete=0\ncontainer-delete=0\nleft=0\ninit-gone\nruntime-state-gone'
  [cmd-missing-127]=$'exit=127\nerror-names-the-command\n(no such file or directory|executable file not found)'
  [ctr/cmd-missing-127]=$'exit=1\nerror-names-the-command\n(no such file or directory|executable file not found)'
  [cmd-noexec-126]=$'exit=126\nerror-names-the-command\npermission denied'
  [ctr/cmd-noexec-126]=$'exit=1\nerror-names-the-command\npermission denied'
  [seccomp-default]=$'Seccomp:\t2\nSeccomp:\t0'
  [bridge-network]=$'eth0-on-the-bridge\ngateway=10.199.0.1\ngateway-answers'
)
# e2e_missing_wants ENGINE SCENARIO FILE: prints each wanted line FILE lacks.
e2e_missing_wants() {
  local want=${E2E_WANT[$1/$2]:-${E2E_WANT[$2]:-}} line
  [ -n "$want" ] || return 0
  while IFS= read -r line; do
    grep -qxE -- "$line" "$3" || echo "$line"
  done <<<"$want"
}
