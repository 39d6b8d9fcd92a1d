#!/usr/bin/env bash
# The end-to-end lane: real engines (containerd 1.6 `ctr`, Docker 20.10, Podman 4.3) drive
# Debian's runc (the reference) and keel in the same run; every scenario runs with both and the
# outputs are compared after normalising ids. One line per engine/scenario:
#   PASS   keel behaved like runc          FAIL   it did not (diff shown), or runc itself failed
#   XFAIL  listed in expected-failures.txt and still failing (reason shown)
#   XPASS  listed there but now passing: remove it from the list
#   FLAKY  failed, then passed when both runtimes ran it again (the first diff is shown; a FAIL
#          is retried once, E2E_RETRY=0 turns that off)
# and a closing `e2e: N passed, N failed`. Exit 1 if anything FAILed (or XPASSed with
# E2E_STRICT_XFAIL=1).
#
# E2E_VERBOSE=1 also shows the diff of each XFAIL.
# Usage (root): tests/e2e/run.sh [--keel PATH] [--runc PATH] [--engines "ctr docker podman"]
#                                [--only REGEX] [--no-install] [--keep]
# Each engine gets its own state dirs and sockets under a temp dir; dockerd runs in a network
# namespace made here. Everything started is stopped by PID and every dir removed on exit.
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "tests/e2e/run.sh must run as root" >&2; exit 2; }

keel=${KEEL_BINARY:-$repo/build/bin/keel}
runc=$(command -v runc || echo /usr/sbin/runc)
engines="ctr docker podman"
only=""
install=1
keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --keel) keel=$2; shift ;;
    --runc) runc=$2; shift ;;
    --engines) engines=$2; shift ;;
    --only) only=$2; shift ;;
    --no-install) install=0 ;;
    --keep) keep=1 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done

. "$here/lib/install.sh"
[ $install = 1 ] && { e2e_install || exit 2; }
for b in "$keel" "$runc"; do [ -x "$b" ] || { echo "not executable: $b" >&2; exit 2; }; done
# Engines resolve runtimes from other working dirs: absolute, but keep the name (podman looks at it).
keel=$(realpath -s "$keel") runc=$(realpath -s "$runc")

export E2E_TMP E2E_NETNS E2E_RUNTIMES="runc keel" E2E_RT_runc=$runc E2E_RT_keel=$keel
E2E_TMP=$(mktemp -d /tmp/ke2e.XXXXXX)
E2E_NETNS=keel-e2e-$$
. "$here/lib/engines.sh"
. "$here/lib/image.sh"
. "$here/lib/scenarios.sh"
. "$here/lib/hostcheck.sh"

e2e_host_snapshot
cleanup() {
  trap - EXIT INT TERM
  e2e_stop_engines
  e2e_host_restore
  if [ $keep = 0 ]; then
    grep -o " $E2E_TMP/[^ ]*" /proc/self/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf "$E2E_TMP"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$SECONDS
echo "e2e: keel=$keel runc=$runc engines: $engines (work dir $E2E_TMP)"
e2e_make_image "$E2E_TMP/image" || { echo "building the image failed" >&2; exit 2; }
e2e_start_containerd || { echo "containerd did not start" >&2; exit 2; }
case " $engines " in *" docker "*) e2e_start_dockerd || { echo "dockerd did not start" >&2; exit 2; } ;; esac
e2e_setup_podman
C image import "$E2E_TMP/image/image.tar" >/dev/null || { echo "ctr image import failed" >&2; exit 2; }
case " $engines " in *" docker "*) D load -i "$E2E_TMP/image/image.tar" >/dev/null || { echo "docker load failed" >&2; exit 2; } ;; esac
case " $engines " in *" podman "*) P load -i "$E2E_TMP/image/image.tar" >/dev/null 2>&1 || { echo "podman load failed" >&2; exit 2; } ;; esac
echo "e2e: engines up in $((SECONDS - t0)) s"

# The expected-failure list: "<engine>/<scenario> <reason>", globs allowed.
xfail_reason() {
  local key=$1 pat reason
  while read -r pat reason; do
    case $pat in ''|'#'*) continue ;; esac
    # shellcheck disable=SC2053
    [[ $key == $pat ]] && { echo "${reason:-no reason given}"; return 0; }
  done <"$here/expected-failures.txt"
  return 1
}
normalise() {
  tr -d '\r' | sed -E 's/[0-9a-f]{64}/<id>/g; s/\b[0-9a-f]{12}\b/<id>/g'
}
# run_one ENGINE SCENARIO RT: output in $E2E_TMP/out/..., returns the scenario's status.
run_one() {
  local o=$E2E_TMP/out/$1.$2.$3 rc start=$SECONDS
  timeout -k 10 150 bash "$here/lib/one.sh" "$1" "$2" "$3" >"$o.raw" 2>"$o.err"
  rc=$?
  timeout -k 10 60 bash "$here/lib/one.sh" "$1" cleanup "$3" >/dev/null 2>&1
  echo "cgroups-left=$(e2e_cgroups_left "$1")" >>"$o.raw"
  e2e_cgroups_clean "$1"
  [ $rc = 0 ] || echo "scenario-status=$rc" >>"$o.raw"
  normalise <"$o.raw" >"$o"
  echo $((SECONDS - start)) >"$o.secs"
  return $rc
}

# judge ENGINE SCENARIO: runs it with runc then keel and sets verdict (PASS FAIL XFAIL XPASS),
# detail, secs, reason, r/k (the two outputs) and show (the output to print for a runc failure).
judge() {
  local engine=$1 scen=$2 key=$1/$2 rrc krc missing listed
  run_one "$engine" "$scen" runc
  rrc=$?
  run_one "$engine" "$scen" keel
  krc=$?
  r=$E2E_TMP/out/$engine.$scen.runc k=$E2E_TMP/out/$engine.$scen.keel
  secs="runc $(cat "$r.secs")s keel $(cat "$k.secs")s"
  reason=$(xfail_reason "$key") && listed=1 || listed=0
  detail=""
  missing=$(e2e_missing_wants "$engine" "$scen" "$r" | paste -sd'|')
  if [ $rrc != 0 ] || [ -n "$missing" ]; then
    verdict=FAIL detail="the reference (runc) failed${missing:+ (missing: $missing)}: fix the lane or the machine"
    show=$r
  elif [ $krc = 0 ] && cmp -s "$r" "$k"; then
    if [ $listed = 1 ]; then verdict=XPASS detail="unexpectedly passing: remove it from expected-failures.txt"
    else verdict=PASS; fi
  elif [ $listed = 1 ]; then
    verdict=XFAIL
  else
    verdict=FAIL detail="keel differs from runc (- runc, + keel)"
  fi
}
# What a FAIL prints under its line: the diff and keel's stderr, or runc's output.
show_failure() {
  if [ "$detail" = "${detail#the reference}" ]; then
    diff -u "$r" "$k" | tail -n +3 | head -40 | sed 's/^/         /'
    sed 's/^/         keel stderr: /' "$k.err" | tail -8
  else
    sed 's/^/         runc out: /' "$show" | tail -10
    sed 's/^/         runc stderr: /' "$show.err" | tail -8
  fi
}

mkdir -p "$E2E_TMP/out"
pass=0 fail=0 xfail=0 xpass=0 flaky=0
for engine in $engines; do
  list=E2E_SCENARIOS_$engine
  for scen in ${!list}; do
    key=$engine/$scen
    [ -n "$only" ] && ! [[ $key =~ $only ]] && continue
    judge "$engine" "$scen"
    # The engines have timing races of their own (a terminal's echo, a slow cleanup) that hit
    # runc and keel alike, about once in a few hundred scenario runs here: a FAIL runs both
    # runtimes once more. Passing then is reported as FLAKY with the first diff, and counted.
    if [ $verdict = FAIL ] && [ "${E2E_RETRY:-1}" = 1 ]; then
      first=$(printf 'FLAKY  %-28s (%s) first try: %s\n' "$key" "$secs" "$detail"; show_failure)
      judge "$engine" "$scen"
      [ $verdict = PASS ] && verdict=FLAKY
    fi
    case $verdict in
      PASS) pass=$((pass + 1)); printf 'PASS   %-28s (%s)\n' "$key" "$secs" ;;
      FLAKY) pass=$((pass + 1)) flaky=$((flaky + 1)); echo "$first" ;;
      XFAIL) xfail=$((xfail + 1)); printf 'XFAIL  %-28s (%s) %s\n' "$key" "$secs" "$reason"
        if [ "${E2E_VERBOSE:-0}" = 1 ]; then
          diff -u "$r" "$k" | tail -n +3 | head -40 | sed 's/^/         /'
          sed 's/^/         keel stderr: /' "$k.err" | tail -8
        fi ;;
      XPASS) xpass=$((xpass + 1)); printf 'XPASS  %-28s (%s) %s\n' "$key" "$secs" "$detail" ;;
      FAIL) fail=$((fail + 1)); printf 'FAIL   %-28s (%s) %s\n' "$key" "$secs" "$detail"
        show_failure ;;
    esac
  done
done

e2e_stop_engines
leftovers=$(e2e_host_leftovers)
if [ -n "$leftovers" ]; then
  fail=$((fail + 1))
  echo "FAIL   lane/leftovers                $leftovers"
else
  pass=$((pass + 1))
  echo "PASS   lane/leftovers                (no runtime state, cgroup or process left behind)"
fi
[ "${E2E_STRICT_XFAIL:-0}" = 1 ] && fail=$((fail + xpass))
echo "e2e: $xfail xfailed, $xpass xpassed (expected failures: tests/e2e/expected-failures.txt), $flaky flaky (passed on the retry); $((SECONDS - t0)) s"
echo "e2e: $pass passed, $fail failed"
[ $fail = 0 ]
