#!/usr/bin/env bash
# Engine-level benchmark: each engine's `run --rm IMAGE /bin/true` timed with keel and with runc
# (rounds interleaved, median and min-max), and the share of that time spent inside the runtime
# binary. The share comes from a timing shim put in front of each runtime: it logs the wall time
# of every runtime call (create, start, delete, ...), summed per `run --rm`. The shim itself costs
# a bash start per call (~1-2 ms), counted in both columns alike. Not asserted anywhere.
#
# Usage (root): bench/e2e.sh [--keel PATH] [--runc PATH] [--rounds N] [--engines "ctr docker podman"]
# Uses the same engine setup as tests/e2e/run.sh (private state dirs, dockerd in its own netns).
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
lib=$repo/tests/e2e/lib
[ "$(id -u)" = 0 ] || { echo "bench/e2e.sh must run as root" >&2; exit 2; }

keel=${KEEL_BINARY:-$repo/build/bin/keel}
runc=$(command -v runc || echo /usr/sbin/runc)
rounds=10
engines="ctr docker podman"
while [ $# -gt 0 ]; do
  case $1 in
    --keel) keel=$2; shift ;;
    --runc) runc=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --engines) engines=$2; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
. "$lib/install.sh"
e2e_install || exit 2
keel=$(realpath -s "$keel") runc=$(realpath -s "$runc")

export E2E_TMP E2E_NETNS E2E_RUNTIMES="runc keel"
E2E_TMP=$(mktemp -d /tmp/ke2e.XXXXXX)
E2E_NETNS=keel-e2e-bench-$$
# The shims keep the runtime's basename (podman decides json logging by it).
shim() { # NAME REAL: prints the shim path
  local d=$E2E_TMP/shim-$1 name
  name=$(basename "$2")
  mkdir -p "$d"
  cat >"$d/$name" <<EOF
#!/bin/bash
s=\$(date +%s%N)
"$2" "\$@"
rc=\$?
sub=?
for a in "\$@"; do case \$a in create|start|delete|kill|run|exec|state|--version) sub=\$a; break ;; esac; done
echo "\$sub \$(( (\$(date +%s%N) - s) / 1000 ))" >>"$E2E_TMP/calls.log"
exit \$rc
EOF
  chmod 755 "$d/$name"
  echo "$d/$name"
}
export E2E_RT_runc E2E_RT_keel
E2E_RT_runc=$(shim runc "$runc")
E2E_RT_keel=$(shim keel "$keel")
. "$lib/engines.sh"
. "$lib/image.sh"
. "$lib/scenarios.sh"
. "$lib/hostcheck.sh"
e2e_host_snapshot
cleanup() {
  trap - EXIT INT TERM
  e2e_stop_engines
  e2e_host_restore
  grep -o " $E2E_TMP/[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$E2E_TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

e2e_make_image "$E2E_TMP/image" || exit 2
e2e_start_containerd || exit 2
case " $engines " in *" docker "*) e2e_start_dockerd || exit 2 ;; esac
e2e_setup_podman
C image import "$E2E_TMP/image/image.tar" >/dev/null || exit 2
case " $engines " in *" docker "*) D load -i "$E2E_TMP/image/image.tar" >/dev/null || exit 2 ;; esac
case " $engines " in *" podman "*) P load -i "$E2E_TMP/image/image.tar" >/dev/null 2>&1 || exit 2 ;; esac

one_run() { # ENGINE RT: wall ms and runtime ms of one `run --rm IMAGE /bin/true`
  local s e rc n=0
  : >"$E2E_TMP/calls.log"
  s=$(date +%s%N)
  case $1 in
    ctr) E2E_RT=$2 CRUN --rm "$IMG" bench-true /bin/true ;;
    docker) E2E_RT=$2 DRUN --rm --network none "$IMG" /bin/true ;;
    podman) E2E_RT=$2 P run --rm --network none "$IMG" /bin/true ;;
  esac >/dev/null 2>&1
  rc=$?
  e=$(date +%s%N)
  n=$(awk '{ t += $2 } END { print int(t / 1000) }' "$E2E_TMP/calls.log")
  echo "$(( (e - s) / 1000000 )) $n $rc $(awk '{ print $1 }' "$E2E_TMP/calls.log" | paste -sd,)"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
range() { sort -n | sed -n '1p;$p' | paste -sd-; }

printf '%-7s %-5s %9s %11s %11s %7s  %s\n' engine rt "median ms" "min-max ms" "runtime ms" share calls
for engine in $engines; do
  for rt in runc keel; do E2E_ENGINE=$engine one_run "$engine" "$rt" >/dev/null; done # warm-up
  : >"$E2E_TMP/$engine.runc" ; : >"$E2E_TMP/$engine.keel"
  for _ in $(seq "$rounds"); do
    for rt in runc keel; do one_run "$engine" "$rt" >>"$E2E_TMP/$engine.$rt"; done
  done
  for rt in runc keel; do
    f=$E2E_TMP/$engine.$rt
    wall=$(cut -d' ' -f1 "$f" | median)
    rtm=$(cut -d' ' -f2 "$f" | median)
    fails=$(awk '$3 != 0' "$f" | wc -l)
    printf '%-7s %-5s %9s %11s %11s %6s%%  %s%s\n' "$engine" "$rt" "$wall" "$(cut -d' ' -f1 "$f" | range)" \
      "$rtm" "$(( wall > 0 ? 100 * rtm / wall : 0 ))" "$(head -1 "$f" | cut -d' ' -f4)" \
      "$([ "$fails" = 0 ] || echo " ($fails of $rounds runs failed)")"
  done
done
