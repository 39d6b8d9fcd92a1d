# Installs the engines with apt when missing. Debian 12 packages: containerd 1.6, docker.io 20.10,
# podman 4.3 (+ conmon), runc 1.1, and the tools the scenarios use. No daemon is started by the
# install: a policy-rc.d refusing service starts is put in place unless one already exists.
E2E_PACKAGES="containerd docker.io podman conmon runc iptables iproute2 busybox-static util-linux procps"

e2e_install() {
  local need=() p
  for p in $E2E_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
  done
  [ ${#need[@]} = 0 ] && return 0
  echo "e2e: installing ${need[*]}"
  local policy=/usr/sbin/policy-rc.d made_policy=0 rc
  if [ ! -e $policy ]; then
    printf '#!/bin/sh\nexit 101\n' >$policy && chmod 755 $policy && made_policy=1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    --no-install-recommends "${need[@]}" >/dev/null
  rc=$?
  [ $made_policy = 1 ] && rm -f $policy
  return $rc
}
