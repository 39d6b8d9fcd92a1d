#!/bin/bash
# mmdebstrap customize hook of the keel VM guest: $1 is the guest's root tree. Makes the
# boot short and quiet (nothing in it waits for a network, a login or a timer) and installs
# the unit that runs the host's command.
set -euo pipefail
root=$1
here=$(cd "$(dirname "$0")" && pwd)

echo keel-vm >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 keel-vm\n::1 localhost ip6-localhost\n' >"$root/etc/hosts"
# fsck pass 0: every boot starts from the same pristine image (snapshot=on).
echo '/dev/vda / ext4 rw,noatime 0 0' >"$root/etc/fstab"

install -m 0755 "$here/keel-vm-run" "$root/usr/local/sbin/keel-vm-run"
install -m 0644 "$here/keel-vm-run.service" "$root/etc/systemd/system/keel-vm-run.service"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -sf /etc/systemd/system/keel-vm-run.service \
  "$root/etc/systemd/system/multi-user.target.wants/keel-vm-run.service"
ln -sf /lib/systemd/system/multi-user.target "$root/etc/systemd/system/default.target"

# Units that only slow a test boot down (most are not even installed in a minbase tree;
# masking them is harmless and keeps the boot the same if a dependency pulls one in).
for unit in auditd.service serial-getty@ttyS0.service getty@tty1.service \
  systemd-timesyncd.service apt-daily.timer apt-daily-upgrade.timer man-db.timer \
  e2scrub_all.timer e2scrub_reap.service fstrim.timer logrotate.timer dpkg-db-backup.timer \
  systemd-networkd-wait-online.service; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
mkdir -p "$root/etc/systemd/journald.conf.d"
printf '[Journal]\nStorage=volatile\n' >"$root/etc/systemd/journald.conf.d/keel-vm.conf"
