# shellcheck shell=bash disable=SC2034 # variables here are used by the scripts sourcing this
# Shared by the VM lane scripts (sourced, not run): where the guest image lives, what its
# name is derived from, and how one boot of it is run.

KEEL_VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
KEEL_VM_REPO=$(cd "$KEEL_VM_DIR/../.." && pwd)
KEEL_VM_CACHE=${KEEL_VM_CACHE:-/var/cache/keel-vm}
KEEL_VM_NICE=${KEEL_VM_NICE:-19}

keel_vm_log() { printf 'keel-vm: %s\n' "$*" >&2; }
keel_vm_die() { keel_vm_log "error: $*"; exit 2; }

# The image is named after everything that decides its content: build-image.sh, the files
# copied into the guest, and any extra packages asked for. Changing one of them makes a new
# image; an unchanged recipe reuses the cached one.
keel_vm_recipe_hash() {
  local f
  {
    for f in "$KEEL_VM_DIR/build-image.sh" "$KEEL_VM_DIR"/guest/*; do
      printf '== %s\n' "${f#"$KEEL_VM_DIR"/}"
      cat "$f"
    done
    printf '== extra packages: %s\n' "${KEEL_VM_EXTRA_PACKAGES:-}"
  } | sha256sum | cut -c1-16
}

keel_vm_image_dir() { printf '%s/image-%s\n' "$KEEL_VM_CACHE" "$(keel_vm_recipe_hash)"; }

# keel_vm_boot IMAGE_DIR CTL_DIR TIMEOUT_S MODE SHARE...
#   Boots the image once. CTL_DIR must hold `command` (a bash script the guest runs as root);
#   the guest writes `output`, `rc` and `system-state` there. MODE is `snapshot` (every boot
#   starts from the pristine image, nothing is written back) or `writable` (used once, to warm
#   the image up). Each SHARE directory is mounted in the guest at the same path as on the
#   host. Streams the command's output to stdout while it runs. Returns the command's exit
#   code, 124 when TIMEOUT_S ran out, 125 when the guest stopped without an exit code.
keel_vm_boot() {
  local image=$1 ctl=$2 timeout_s=$3 mode=$4
  shift 4
  local -a shares=("$@") fsdevs=()
  local i=0 share snapshot=on
  [[ $mode == writable ]] && snapshot=off
  : >"$ctl/shares"
  for share in "${shares[@]}"; do
    [[ -d $share ]] || keel_vm_die "share $share is not a directory"
    [[ $share != *[[:space:]]* ]] || keel_vm_die "share path '$share' contains white space"
    fsdevs+=(-fsdev "local,id=share$i,path=$share,security_model=passthrough"
      -device "virtio-9p-pci,fsdev=share$i,mount_tag=share$i")
    printf 'share%d %s\n' "$i" "$share" >>"$ctl/shares"
    i=$((i + 1))
  done
  : >"$ctl/output"
  rm -f "$ctl/rc" "$ctl/console.log"

  local append="console=ttyS0 root=/dev/vda rw fsck.mode=skip panic=1 mitigations=off keel.run"
  [[ -n ${KEEL_VM_DEBUG:-} ]] || append+=" quiet loglevel=3 systemd.show_status=0"

  # TCG, not KVM: /dev/kvm on the machines this lane was written for is emulated and an
  # unmodified kernel dies on it with "KVM internal error ... emulation failure".
  timeout -k 10 "$timeout_s" nice -n "$KEEL_VM_NICE" qemu-system-x86_64 \
    -accel tcg,thread=multi -cpu max -m "${KEEL_VM_MEMORY:-2G}" -smp "${KEEL_VM_CPUS:-2}" \
    -nic none -display none -vga none -monitor none -no-reboot \
    -serial "file:$ctl/console.log" \
    -kernel "$image/vmlinuz" -initrd "$image/initrd.img" -append "$append" \
    -drive "file=$image/disk.img,format=raw,if=virtio,snapshot=$snapshot,cache=unsafe" \
    -fsdev "local,id=ctl,path=$ctl,security_model=passthrough" \
    -device "virtio-9p-pci,fsdev=ctl,mount_tag=keelctl" \
    "${fsdevs[@]}" </dev/null >"$ctl/qemu.log" 2>&1 &
  local qemu=$!
  KEEL_VM_QEMU_PID=$qemu # for the caller's cleanup trap
  # Stream the command's output as the guest writes it; tail stops when qemu is gone.
  tail -n +1 -F --pid="$qemu" "$ctl/output" 2>/dev/null &
  local tailer=$!
  local qemu_rc=0
  wait "$qemu" || qemu_rc=$?
  wait "$tailer" 2>/dev/null || true

  if [[ -s $ctl/rc ]]; then
    return "$(cat "$ctl/rc")"
  fi
  if [[ $qemu_rc == 124 || $qemu_rc == 137 ]]; then
    keel_vm_log "the guest did not finish within ${timeout_s}s; last console lines:"
  else
    keel_vm_log "the guest stopped without an exit code (qemu exit $qemu_rc); last lines:"
    sed 's/^/  qemu: /' "$ctl/qemu.log" >&2
  fi
  tail -n 40 "$ctl/console.log" | sed 's/^/  console: /' >&2
  [[ $qemu_rc == 124 || $qemu_rc == 137 ]] && return 124
  return 125
}
