#!/bin/bash
# Boots the keel VM guest once (a fresh snapshot of the cached image), runs COMMAND as root in
# it after systemd has finished booting, streams its output, powers off and exits with
# COMMAND's exit code (124: timed out, 125: the guest died before reporting one).
#
#   tests/vm/run.sh [--share DIR]... [--timeout SECONDS] [--] COMMAND [ARG]...
#
# The repository this script is in is shared with the guest at the same path as on the host,
# as is every --share DIR, so absolute paths compiled into test binaries (KEEL_BINARY,
# KEEL_SOURCE_DIR) work. COMMAND runs in the current directory when that is inside a share,
# else in /. Builds the image first if it is not cached (tests/vm/build-image.sh).
# Environment: KEEL_VM_TIMEOUT (default 900 s), KEEL_VM_MEMORY (2G), KEEL_VM_CPUS (2),
# KEEL_VM_DEBUG=1 (boot without `quiet`), KEEL_VM_KEEP_CTL=1 (keep the control dir with the
# console log), plus those of build-image.sh.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

timeout_s=${KEEL_VM_TIMEOUT:-900}
shares=("$KEEL_VM_REPO")
while (($#)); do
  case $1 in
    --share) shares+=("$(cd "$2" && pwd)"); shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --) shift; break ;;
    -*) keel_vm_die "unknown option $1 (usage: run.sh [--share DIR]... [--timeout S] [--] COMMAND...)" ;;
    *) break ;;
  esac
done
(($#)) || keel_vm_die "no command (usage: run.sh [--share DIR]... [--timeout S] [--] COMMAND...)"

# A share inside another share is already visible through it.
unique=()
for s in "${shares[@]}"; do
  nested=
  for t in "${shares[@]}"; do
    [[ $s != "$t" && $s == "$t"/* ]] && nested=1
  done
  [[ -n $nested || " ${unique[*]} " == *" $s "* ]] || unique+=("$s")
done

image=$("$KEEL_VM_DIR/build-image.sh")

ctl=$(mktemp -d /tmp/keel-vm.XXXXXX)
cleanup() {
  [[ -n ${KEEL_VM_QEMU_PID:-} ]] && kill "$KEEL_VM_QEMU_PID" 2>/dev/null || true
  if [[ -n ${KEEL_VM_KEEP_CTL:-} ]]; then keel_vm_log "control dir kept: $ctl"; else rm -rf "$ctl"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cwd=/
for s in "${unique[@]}"; do
  [[ $PWD == "$s" || $PWD == "$s"/* ]] && cwd=$PWD
done
{
  printf 'cd %q || exit 127\n' "$cwd"
  printf 'exec'
  printf ' %q' "$@"
  printf '\n'
} >"$ctl/command"

started=$SECONDS
rc=0
keel_vm_boot "$image" "$ctl" "$timeout_s" snapshot "${unique[@]}" || rc=$?
state=$(cat "$ctl/system-state" 2>/dev/null || echo unknown)
keel_vm_log "exit $rc after $((SECONDS - started))s (guest systemd: $state)"
if [[ $state != running && -s $ctl/failed-units ]]; then
  sed 's/^/keel-vm: failed unit: /' "$ctl/failed-units" >&2
fi
exit "$rc"
