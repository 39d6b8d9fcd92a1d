# Builds the lane's only image from the host's busybox-static: no registry involved.
# e2e_make_image DIR writes DIR/rootfs.tar (a plain rootfs, for `docker import`/`podman import`)
# and DIR/image.tar (an archive that is both an OCI image layout and a `docker save` archive, so
# `ctr image import`, `docker load` and `podman load` all accept it).

E2E_IMAGE_REF=${E2E_IMAGE_REF:-docker.io/keel-e2e/busybox:latest}

e2e_make_rootfs() {
  local root=$1
  mkdir -p "$root"/{bin,etc,proc,sys,dev,tmp,root,run,var/tmp}
  cp /bin/busybox "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  chmod 1777 "$root/tmp" "$root/var/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\ntty:x:5:\nnogroup:x:65534:\n' >"$root/etc/group"
  # A file that exists but is not executable: the engines' 126 case.
  printf '#!/bin/sh\necho should-not-run\n' >"$root/not-executable"
  chmod 0644 "$root/not-executable"
}

e2e_sha256() { sha256sum "$1" | cut -d' ' -f1; }

e2e_make_image() {
  local dir=$1 root=$1/rootfs lay=$1/layout
  e2e_make_rootfs "$root"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 --sort=name -C "$root" -cf "$dir/rootfs.tar" .
  mkdir -p "$lay/blobs/sha256"
  local layer_sha config_sha manifest_sha
  layer_sha=$(e2e_sha256 "$dir/rootfs.tar")
  cp "$dir/rootfs.tar" "$lay/blobs/sha256/$layer_sha"
  printf '%s' "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"1970-01-01T00:00:00Z\",\
\"config\":{\"Env\":[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"sh\"]},\
\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:$layer_sha\"]}}" >"$lay/config.json"
  config_sha=$(e2e_sha256 "$lay/config.json")
  mv "$lay/config.json" "$lay/blobs/sha256/$config_sha"
  printf '%s' "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:$config_sha\",\
\"size\":$(stat -c %s "$lay/blobs/sha256/$config_sha")},\"layers\":[{\"mediaType\":\
\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"sha256:$layer_sha\",\
\"size\":$(stat -c %s "$lay/blobs/sha256/$layer_sha")}]}" >"$lay/manifest.oci"
  manifest_sha=$(e2e_sha256 "$lay/manifest.oci")
  mv "$lay/manifest.oci" "$lay/blobs/sha256/$manifest_sha"
  printf '{"imageLayoutVersion":"1.0.0"}' >"$lay/oci-layout"
  printf '%s' "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\
\"digest\":\"sha256:$manifest_sha\",\"size\":$(stat -c %s "$lay/blobs/sha256/$manifest_sha"),\
\"annotations\":{\"io.containerd.image.name\":\"$E2E_IMAGE_REF\",\
\"org.opencontainers.image.ref.name\":\"latest\"}}]}" >"$lay/index.json"
  # docker save's manifest.json, pointing at the same blobs.
  printf '%s' "[{\"Config\":\"blobs/sha256/$config_sha\",\"RepoTags\":[\"${E2E_IMAGE_REF#docker.io/}\"],\
\"Layers\":[\"blobs/sha256/$layer_sha\"]}]" >"$lay/manifest.json"
  tar --numeric-owner --owner=0 --group=0 --mtime=@0 -C "$lay" -cf "$dir/image.tar" \
    oci-layout index.json manifest.json blobs
}
