#!/bin/bash
# Builds the VM lane's guest: Debian 12 (bookworm, like the host, so binaries built on the
# host run in it), systemd, pure cgroup v2, AppArmor, from Debian packages only.
#
#   tests/vm/build-image.sh            build unless the cached image is current; print its dir
#
# The image lives in $KEEL_VM_CACHE (default /var/cache/keel-vm), outside the source tree, in a
# directory named after a hash of its recipe (see keel_vm_recipe_hash in lib.sh): an unchanged
# recipe reuses it, a changed one builds a new image and removes the old ones.
# Environment: KEEL_VM_CACHE, KEEL_VM_EXTRA_PACKAGES (space separated, added to the guest),
# KEEL_VM_SOURCES (apt sources file for the guest; default: the host's Debian sources).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

# What keel's tests need at run time in the guest (tmux: integration_terminal drives keel's
# terminal handling through it). The shared libraries are those that
# `ldd` lists for build/bin/* and build/lib/keel/**/*.so on the host (boost_log pulls
# boost_filesystem and boost_thread); ctest comes with cmake.
packages=(
  systemd systemd-sysv udev dbus kmod apparmor linux-image-amd64 initramfs-tools zstd
  busybox-static iproute2 procps util-linux cmake tmux
  libstdc++6 libgcc-s1 libseccomp2 libapparmor1 libselinux1 libsystemd0 libboost-log1.74.0
)
# shellcheck disable=SC2206 # word splitting is the point
packages+=(${KEEL_VM_EXTRA_PACKAGES:-})

image=$(keel_vm_image_dir)
if [[ -f $image/ready ]]; then
  keel_vm_log "image is current: $image"
  echo "$image"
  exit 0
fi

need_tools() {
  local missing=()
  command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
  command -v qemu-system-x86_64 >/dev/null || missing+=(qemu-system-x86)
  command -v mkfs.ext4 >/dev/null || missing+=(e2fsprogs)
  ((${#missing[@]} == 0)) && return
  keel_vm_log "installing ${missing[*]}"
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
    { apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; }
}
need_tools

mkdir -p "$KEEL_VM_CACHE"
exec 9>"$KEEL_VM_CACHE/.lock"
flock 9 # one build at a time; a second caller waits and then finds the image ready
if [[ -f $image/ready ]]; then
  echo "$image"
  exit 0
fi

started=$SECONDS
work=$image.tmp
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

# The guest uses the Debian mirror the host's apt uses.
sources=${KEEL_VM_SOURCES:-}
if [[ -z $sources ]]; then
  for f in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    [[ -s $f ]] && { sources=$f; break; }
  done
fi
mirror_args=()
[[ -n $sources ]] && mirror_args=("$sources")

keel_vm_log "building the guest tree (mmdebstrap bookworm, ${#packages[@]} packages)"
# shellcheck disable=SC2016 # "$1" in a hook is the guest's root, expanded by mmdebstrap
# The initramfs settings go in before the kernel package, so its postinst builds the small
# initramfs once rather than a generic one that is then rebuilt.
nice -n "$KEEL_VM_NICE" mmdebstrap --mode=root --variant=minbase --quiet \
  --include="$(IFS=,; echo "${packages[*]}")" \
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/locale/*' \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --dpkgopt='path-exclude=/usr/share/info/*' \
  --setup-hook='mkdir -p "$1/etc/initramfs-tools/hooks" "$1/etc/initramfs-tools/conf.d"' \
  --setup-hook="install -m 0755 '$KEEL_VM_DIR/guest/initramfs-hook' \"\$1/etc/initramfs-tools/hooks/keel-vm\"" \
  --setup-hook='printf "MODULES=list\nCOMPRESS=zstd\n" >"$1/etc/initramfs-tools/conf.d/keel-vm.conf"' \
  --customize-hook="'$KEEL_VM_DIR/guest/customize.sh' \"\$1\"" \
  bookworm "$work/root" "${mirror_args[@]}"

cp -L "$work/root/vmlinuz" "$work/vmlinuz"
cp -L "$work/root/initrd.img" "$work/initrd.img"
size_mb=$(($(du -sm "$work/root" | cut -f1) + 1536)) # room for what the tests write
keel_vm_log "writing the ext4 image (${size_mb} MB, sparse); initrd $(du -h "$work/initrd.img" | cut -f1)"
truncate -s "${size_mb}M" "$work/disk.img"
nice -n "$KEEL_VM_NICE" mkfs.ext4 -q -F -L keel-vm -E root_owner=0:0 -d "$work/root" "$work/disk.img"
rm -rf "$work/root"

# One writable warm-up boot: apparmor.service compiles the profiles into
# /var/cache/apparmor, so later boots (snapshots of this image) only load them.
keel_vm_log "warm-up boot (compiles the AppArmor profiles into the image)"
ctl=$(mktemp -d)
trap 'rm -rf "$work" "$ctl"; [[ -n ${KEEL_VM_QEMU_PID:-} ]] && kill "$KEEL_VM_QEMU_PID" 2>/dev/null || true' EXIT
# shellcheck disable=SC2016 # expanded in the guest
echo 'echo "system: $(cat /run/keel-vm/system-state); kernel: $(uname -r); cgroup2: $(cat /sys/fs/cgroup/cgroup.controllers)"; ls /var/cache/apparmor' >"$ctl/command"
touch "$ctl/clean-poweroff"
keel_vm_boot "$work" "$ctl" 600 writable >&2 || keel_vm_die "the warm-up boot failed"

for old in "$KEEL_VM_CACHE"/image-*; do
  [[ $old != "$image" && $old != "$work" ]] && rm -rf "$old"
done
touch "$work/ready"
mv "$work" "$image"
keel_vm_log "image built in $((SECONDS - started))s: $image"
echo "$image"
