#!/usr/bin/env bash
# Writes docker-archive tarballs for every lab image into $IMAGES.
# No registry is involved: each image is one hand-made layer.tar plus a
# config and manifest.json; `lab.sh up` imports them with
# `ctr -n k8s.io images import`. Images are rebuilt only when missing or when
# their inputs (binaries) are newer than the tarball.
set -euo pipefail
LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$LAB_DIR/VERSIONS"
. "$LAB_DIR/lib.sh"
mkdir -p "$IMAGES"

# mkimage <file-stem> <ref> <rootfs-dir> <entrypoint-json> [cmd-json]
mkimage() {
  local stem=$1 ref=$2 root=$3 ep=$4 cmd=${5:-null}
  local work; work=$(mktemp -d)
  tar -C "$root" --owner=0 --group=0 --numeric-owner --sort=name --mtime=@0 -cf "$work/layer.tar" .
  local d; d=$(sha256sum "$work/layer.tar" | cut -c1-64)
  cat > "$work/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"1970-01-01T00:00:00Z",
 "config":{"Entrypoint":$ep,"Cmd":$cmd,"Env":["PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"],"WorkingDir":"/"},
 "rootfs":{"type":"layers","diff_ids":["sha256:$d"]}}
EOF
  local c; c=$(sha256sum "$work/config.json" | cut -c1-64)
  mv "$work/config.json" "$work/$c.json"
  printf '[{"Config":"%s.json","RepoTags":["%s"],"Layers":["layer.tar"]}]\n' "$c" "$ref" > "$work/manifest.json"
  tar -C "$work" -cf "$IMAGES/$stem.tar.tmp" manifest.json "$c.json" layer.tar
  mv "$IMAGES/$stem.tar.tmp" "$IMAGES/$stem.tar"
  echo "$ref" > "$IMAGES/$stem.ref"
  rm -rf "$work" "$root"
  echo "image $ref -> $IMAGES/$stem.tar"
}

# fresh <stem> <inputs...>: true when the tarball is missing or older than an input
fresh() {
  local stem=$1; shift
  [ -f "$IMAGES/$stem.tar" ] || return 0
  for f in "$@" "$LAB_DIR/images.sh"; do [ "$f" -nt "$IMAGES/$stem.tar" ] && return 0; done
  return 1
}

base_root() { # minimal filesystem skeleton
  local r; r=$(mktemp -d)
  mkdir -p "$r"/{bin,etc,tmp,proc,sys,dev,var/run,usr/bin}
  chmod 1777 "$r/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' > "$r/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' > "$r/etc/group"
  printf 'hosts: files dns\n' > "$r/etc/nsswitch.conf"
  echo "$r"
}

add_busybox() { # add_busybox <root>: busybox-static plus a symlink per applet
  local r=$1
  cp /bin/busybox "$r/bin/busybox"
  local a
  for a in $(/bin/busybox --list); do
    # real tools copied in earlier (iproute2 ip, bind nslookup, ...) win
    [ -e "$r/bin/$a" ] || [ -e "$r/usr/bin/$a" ] || [ -e "$r/usr/sbin/$a" ] || [ -e "$r/sbin/$a" ] ||
      ln -s busybox "$r/bin/$a"
  done
}

copy_with_libs() { # copy_with_libs <root> <binary...>
  local r=$1; shift
  local b lib
  for b in "$@"; do
    mkdir -p "$r$(dirname "$b")"
    cp -L "$b" "$r$b"
    for lib in $(ldd "$b" | grep -o '/[^ ]*' | sort -u); do
      mkdir -p "$r$(dirname "$lib")"
      cp -L "$lib" "$r$lib"
    done
  done
}

if fresh pause "$BIN/pause"; then
  r=$(base_root); cp "$BIN/pause" "$r/pause"
  mkimage pause "lab.local/pause:$PAUSE_TAG" "$r" '["/pause"]'
fi

if fresh echo "$BIN/echo"; then
  r=$(base_root); cp "$BIN/echo" "$r/bin/echo-server"
  mkimage echo lab.local/echo:v1 "$r" '["/bin/echo-server"]'
fi

if fresh distroless "$BIN/echo"; then
  r=$(mktemp -d); mkdir -p "$r/tmp" "$r/etc"; chmod 1777 "$r/tmp"
  printf 'nonroot:x:65532:65532:nonroot:/:/nonexistent\n' > "$r/etc/passwd"
  cp "$BIN/echo" "$r/echo-server"
  mkimage distroless lab.local/distroless:v1 "$r" '["/echo-server"]'
fi

if fresh toolbox /bin/busybox; then
  r=$(base_root); add_busybox "$r"
  mkimage toolbox lab.local/toolbox:v1 "$r" '["/bin/sh"]' '["-c","while true; do sleep 3600; done"]'
fi

if fresh netshoot /usr/bin/curl /usr/bin/dig; then
  r=$(base_root)
  copy_with_libs "$r" /usr/bin/curl /usr/bin/dig /usr/bin/getent /usr/bin/nslookup /usr/bin/host \
    /usr/sbin/ip /usr/bin/ss
  add_busybox "$r"   # sh, nc, wget, ... (skips names already present)
  mkimage netshoot lab.local/netshoot:v1 "$r" '["/bin/sh"]' '["-c","while true; do sleep 3600; done"]'
fi

if [ -x "$BIN/coredns" ] && fresh coredns "$BIN/coredns"; then
  r=$(base_root); cp "$BIN/coredns" "$r/coredns"
  mkimage coredns "lab.local/coredns:$COREDNS_VERSION" "$r" '["/coredns"]'
fi

if [ -x "$BIN/traefik" ] && fresh traefik "$BIN/traefik"; then
  r=$(base_root); cp "$BIN/traefik" "$r/traefik"
  mkimage traefik "lab.local/traefik:$TRAEFIK_VERSION" "$r" '["/traefik"]'
fi
# flannel (two-node layout): flanneld + busybox (install-cni script) + Debian's iptables (nft
# backend, the same one kube-proxy and kube-router use on the node), in flannel's own cache dir
if [ -x "$FLANNEL_DIR/bin/flanneld" ]; then
  fimg="$FLANNEL_DIR/images"; mkdir -p "$fimg"
  if [ ! -f "$fimg/flannel.tar" ] || [ "$FLANNEL_DIR/bin/flanneld" -nt "$fimg/flannel.tar" ] || [ "$LAB_DIR/images.sh" -nt "$fimg/flannel.tar" ]; then
    r=$(base_root); cp "$FLANNEL_DIR/bin/flanneld" "$r/flanneld"
    copy_with_libs "$r" /usr/sbin/xtables-nft-multi
    mkdir -p "$r/usr/lib/x86_64-linux-gnu"; cp -r /usr/lib/x86_64-linux-gnu/xtables "$r/usr/lib/x86_64-linux-gnu/"
    mkdir -p "$r/usr/sbin" "$r/run"
    for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
      ln -sf xtables-nft-multi "$r/usr/sbin/$t"
    done
    add_busybox "$r"
    ( IMAGES=$fimg; mkimage flannel "lab.local/flannel:$FLANNEL_VERSION" "$r" '["/flanneld"]' )
  fi
  # kube-router as a DaemonSet (two-node layout): the lab's patched binary + iptables (nft) + ipset
  if [ -x "$BIN/kube-router" ] && { [ ! -f "$fimg/kube-router.tar" ] || [ "$BIN/kube-router" -nt "$fimg/kube-router.tar" ] || [ "$LAB_DIR/images.sh" -nt "$fimg/kube-router.tar" ]; }; then
    r=$(base_root); cp "$BIN/kube-router" "$r/kube-router"
    copy_with_libs "$r" /usr/sbin/xtables-nft-multi /usr/sbin/ipset
    mkdir -p "$r/usr/lib/x86_64-linux-gnu"; cp -r /usr/lib/x86_64-linux-gnu/xtables "$r/usr/lib/x86_64-linux-gnu/"
    mkdir -p "$r/usr/sbin" "$r/run"
    for t in iptables iptables-save iptables-restore ip6tables ip6tables-save ip6tables-restore; do
      ln -sf xtables-nft-multi "$r/usr/sbin/$t"
    done
    ( IMAGES=$fimg; mkimage kube-router "lab.local/kube-router:$KUBE_ROUTER_VERSION-lab" "$r" '["/kube-router"]' )
  fi
fi
ls -la "$IMAGES"
