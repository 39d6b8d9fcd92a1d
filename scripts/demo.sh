#!/usr/bin/env bash
# The README's first command: installs dependencies, builds keel, makes a busybox-static bundle
# and runs a container in it that prints its hostname, its pid 1 and its uid.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "scripts/demo.sh must run as root (containers need it)" >&2; exit 1; }
./scripts/install-deps.sh
./scripts/build.sh
keel=$PWD/${KEEL_BUILD_DIR:-build}/bin/keel

bundle=$(mktemp -d /tmp/keel-demo.XXXXXX)
root=$bundle/state
id=demo-$$
cleanup() {
  "$keel" --root "$root" delete --force "$id" >/dev/null 2>&1 || true
  rm -rf "$bundle"
  rmdir /sys/fs/cgroup/*/keel-demo 2>/dev/null || true
}
trap cleanup EXIT

mkdir -p "$bundle/rootfs/bin"
cp /bin/busybox "$bundle/rootfs/bin/busybox"
for cmd in sh echo cat id hostname ls; do ln -s busybox "$bundle/rootfs/bin/$cmd"; done

"$keel" --version
(cd "$bundle" && "$keel" spec)
# Turn the template's interactive shell into a one-shot command, give the container its own
# hostname and a cgroup under a keel-owned parent.
sed -i \
  -e 's/"terminal": true/"terminal": false/' \
  -e 's/^\(\s*\)"sh"$/\1"sh", "-c", "echo hostname=$(hostname) pid1=$(cat \/proc\/1\/comm) uid=$(id -u)"/' \
  -e 's/"hostname": "runc"/"hostname": "keel-demo"/' \
  -e 's/"linux": {/"linux": {\n\t\t"cgroupsPath": "\/keel-demo\/'"$id"'",/' \
  "$bundle/config.json"

echo "--- keel run $id"
"$keel" --root "$root" run --bundle "$bundle" "$id"
echo "--- exit code $?"
