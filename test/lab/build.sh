#!/usr/bin/env bash
# Builds every binary and image tarball the lab needs into a cache outside
# the repo: /var/cache/k8snet-lab/<key>/{bin,images,src,logs}.
# Idempotent: components whose output already exists are skipped.
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=VERSIONS
. "$LAB_DIR/VERSIONS"
. "$LAB_DIR/lib.sh"

export GOMODCACHE="$CACHE_ROOT/go/mod" GOCACHE="$CACHE_ROOT/go/build"
export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod GOPROXY="${GOPROXY:-https://proxy.golang.org}"
export GONOSUMDB= GOFLAGS="-mod=mod"
BUILD_P="${BUILD_P:-2}"
mkdir -p "$BIN" "$IMAGES" "$SRC" "$BLOGS" "$GOMODCACHE" "$GOCACHE"

APT_PKGS="containerd runc containernetworking-plugins iptables ipset conntrack socat openssl busybox-static curl dnsutils iproute2 gcc libc6-dev"

log() { echo "[build $(date +%H:%M:%S)] $*"; }

timed() { # timed <name> <function>
  local name=$1; shift
  local t0=$SECONDS
  if "$@" >>"$BLOGS/$name.log" 2>&1; then
    log "$name: done in $((SECONDS - t0))s"
  else
    log "$name: FAILED after $((SECONDS - t0))s; tail of $BLOGS/$name.log:"
    tail -n 30 "$BLOGS/$name.log" >&2
    return 1
  fi
}

apt_install() {
  local missing=()
  for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
  # The Debian containerd service would start a second containerd on the
  # host; the lab runs its own instance, so keep the distro one stopped.
  if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
    systemctl disable --now containerd >/dev/null 2>&1 || true
  fi
}

# ---------------------------------------------------------------- kubernetes
K8S_CMDS="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl"
build_k8s() {
  local d="$SRC/k8s" minor=${K8S_VERSION#v1.}; minor=${minor%%.*}
  mkdir -p "$d" && cd "$d"
  if [ ! -f go.mod ] || ! grep -q "k8s.io/kubernetes $K8S_VERSION" go.mod; then
    rm -f go.mod go.sum
    go mod init lab.local/k8sbin
    go mod edit -go=1.24.0 -godebug=default=go1.24 -require=k8s.io/kubernetes@"$K8S_VERSION"
    local gm
    gm=$(go mod download -json k8s.io/kubernetes@"$K8S_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
    for m in $(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$gm"); do
      go mod edit -replace="$m=$m@$K8S_STAGING_VERSION"
    done
    for c in $K8S_CMDS; do go mod edit -tool=k8s.io/kubernetes/cmd/$c; done
    go mod tidy
  fi
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local ldf="-s -w -X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor -X k8s.io/component-base/version.gitTreeState=clean -X k8s.io/component-base/version.buildDate=$now"
  ldf="$ldf -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION -X k8s.io/client-go/pkg/version.gitMajor=1 -X k8s.io/client-go/pkg/version.gitMinor=$minor"
  local pkgs=()
  for c in $K8S_CMDS; do [ -x "$BIN/$c" ] || pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  [ ${#pkgs[@]} -eq 0 ] && return 0
  go build -p "$BUILD_P" -trimpath -ldflags "$ldf" -o "$BIN/" "${pkgs[@]}"
}

# ---------------------------------------------------------------- etcd
build_etcd() {
  local d="$SRC/etcd"
  mkdir -p "$d" && cd "$d"
  if [ ! -f go.mod ] || ! grep -q "go.etcd.io/etcd/server/v3 $ETCD_VERSION" go.mod; then
    rm -f go.mod go.sum
    go mod init lab.local/etcdbin
    go get go.etcd.io/etcd/server/v3@"$ETCD_VERSION"
    printf '//go:build tools\n\npackage tools\n\nimport _ "go.etcd.io/etcd/server/v3"\n' > tools.go
    go mod tidy
  fi
  go build -p "$BUILD_P" -trimpath -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=lab" \
    -o "$BIN/etcd.tmp" go.etcd.io/etcd/server/v3
  mv "$BIN/etcd.tmp" "$BIN/etcd"
}

# ---------------------------------------------------------------- coredns
build_coredns() {
  GOBIN="$SRC/coredns-bin" go install -p "$BUILD_P" -trimpath \
    -ldflags "-s -w -X github.com/coredns/coredns/coremain.GitCommit=lab-$COREDNS_VERSION" \
    github.com/coredns/coredns@"$COREDNS_VERSION"
  mv "$SRC/coredns-bin/coredns" "$BIN/coredns"
}

# ---------------------------------------------------------------- kube-router
# Built from a patched copy of the module: upstream v2.1.0 ends every pod
# firewall chain with "-j REJECT" (icmp-port-unreachable, so a denied TCP
# connect is refused at once). The lab patches it to "-j DROP" so that a
# NetworkPolicy denial looks like it does with Calico/Cilium: a timeout.
build_kube_router() {
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local mod="github.com/cloudnativelabs/kube-router/v2"
  local dir; dir=$(go mod download -json "$mod@$KUBE_ROUTER_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  local d="$SRC/kube-router-src"
  rm -rf "$d"; cp -r "$dir" "$d"; chmod -R u+w "$d"
  sed -i -e 's/"0x10000\/0x10000", "-j", "REJECT", "\\n"}/"0x10000\/0x10000", "-j", "DROP", "\\n"}/' \
         -e 's/rule to REJECT traffic destined for POD/rule to DROP traffic destined for POD/' \
    "$d/pkg/controllers/netpol/pod.go"
  grep -q '"-j", "DROP", "\\n"}' "$d/pkg/controllers/netpol/pod.go" || { echo "kube-router DROP patch did not apply"; return 1; }
  cd "$d"
  go build -p "$BUILD_P" -trimpath \
    -ldflags "-s -w -X $mod/pkg/version.Version=$KUBE_ROUTER_VERSION-lab.drop -X $mod/pkg/version.BuildDate=$now" \
    -o "$BIN/kube-router.tmp" ./cmd/kube-router
  mv "$BIN/kube-router.tmp" "$BIN/kube-router"
  touch "$BIN/kube-router.drop-patched"
  cd / && rm -rf "$d"
}

# ---------------------------------------------------------------- traefik
build_traefik() {
  local d="$SRC/traefik"
  mkdir -p "$d" && cd "$d"
  if [ ! -f go.mod ] || ! grep -q "github.com/traefik/traefik/v3 $TRAEFIK_VERSION" go.mod; then
    rm -f go.mod go.sum tools.go
    go mod init lab.local/traefikbin
    local gm
    gm=$(go mod download -json github.com/traefik/traefik/v3@"$TRAEFIK_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
    local gol; gol=$(sed -n 's/^go \(.*\)/\1/p' "$gm")
    go mod edit -go="$gol" -require=github.com/traefik/traefik/v3@"$TRAEFIK_VERSION"
    # copy the non-local replace lines (single-line and block form) and excludes
    awk '
      /^replace \(/ {blk=1; next}
      blk && /^\)/ {blk=0; next}
      blk {print; next}
      /^replace / {sub(/^replace /,""); print}
    ' "$gm" | grep -v '=> \.' | while read -r old _ new ver; do
      [ -n "$old" ] && go mod edit -replace="$old=$new@$ver"
    done
    grep '^exclude ' "$gm" | while read -r _ m v; do go mod edit -exclude="$m@$v"; done
    printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/traefik/traefik/v3/cmd/traefik"\n' > tools.go
    go mod tidy
  fi
  local now; now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  go build -p "$BUILD_P" -trimpath \
    -ldflags "-s -w -X github.com/traefik/traefik/v3/pkg/version.Version=$TRAEFIK_VERSION -X github.com/traefik/traefik/v3/pkg/version.Codename=lab -X github.com/traefik/traefik/v3/pkg/version.BuildDate=$now" \
    -o "$BIN/traefik.tmp" github.com/traefik/traefik/v3/cmd/traefik
  mv "$BIN/traefik.tmp" "$BIN/traefik"
}

# ---------------------------------------------------------------- gateway api CRDs
# Standard-channel CRDs of the Gateway API version Traefik implements (its go.mod names it). The
# module zip on the Go proxy carries config/crd/standard/*.yaml; they are joined into one file in
# the component's own cache dir, so adding them did not change the core cache key.
gateway_api_crds() { echo "$(extra_dir gateway-api "$GATEWAY_API_VERSION")/standard-install.yaml"; }
build_gateway_api_crds() {
  local out dir; out=$(gateway_api_crds)
  mkdir -p "$(dirname "$out")" && cd "$(dirname "$out")"   # outside any go.mod
  dir=$(go mod download -json "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  [ -d "$dir/config/crd/standard" ] || { echo "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION has no config/crd/standard"; return 1; }
  mkdir -p "$(dirname "$out")"
  local f
  for f in "$dir"/config/crd/standard/gateway.networking.k8s.io_*.yaml; do
    printf -- '---\n# from sigs.k8s.io/gateway-api@%s %s\n' "$GATEWAY_API_VERSION" "${f#"$dir"/}"
    cat "$f"
  done > "$out.tmp"
  grep -q 'kind: CustomResourceDefinition' "$out.tmp" || { echo "no CRDs in $out.tmp"; return 1; }
  mv "$out.tmp" "$out"
}

# ---------------------------------------------------------------- flannel (two-node layout)
# Built from a copy of the module (like kube-router): main.go registers every backend, and two of
# them cannot be built here: tencentvpc needs a tencentcloud SDK version the proxy does not serve,
# udp needs cgo. The lab uses VXLAN only, so the copy drops those two imports. Own cache dir.
build_flannel() {
  local mod=github.com/flannel-io/flannel
  local dir; dir=$(go mod download -json "$mod@$FLANNEL_VERSION" | sed -n 's/.*"Dir": "\(.*\)",/\1/p')
  local d="$FLANNEL_DIR/src/flannel"
  mkdir -p "$FLANNEL_DIR/bin" "$FLANNEL_DIR/src"
  rm -rf "$d"; cp -r "$dir" "$d"; chmod -R u+w "$d"
  sed -i -e '/pkg\/backend\/tencentvpc"/d' -e '/pkg\/backend\/udp"/d' "$d/main.go"
  grep -q 'pkg/backend/vxlan"' "$d/main.go" || { echo "flannel main.go has no vxlan backend import"; return 1; }
  cd "$d"
  go build -p "$BUILD_P" -trimpath -ldflags "-s -w -X $mod/pkg/version.Version=$FLANNEL_VERSION" \
    -o "$FLANNEL_DIR/bin/flanneld.tmp" .
  mv "$FLANNEL_DIR/bin/flanneld.tmp" "$FLANNEL_DIR/bin/flanneld"
  cd / && rm -rf "$d"
}

# ---------------------------------------------------------------- small things
build_pause() {
  local src="$SRC/pause.c"
  local kdir="$GOMODCACHE/k8s.io/kubernetes@$K8S_VERSION"
  if [ -f "$kdir/build/pause/linux/pause.c" ]; then
    cp "$kdir/build/pause/linux/pause.c" "$src"; chmod u+w "$src"
  else
    cat > "$src" <<'EOF'
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>
static void sigdown(int s) { (void)s; _exit(0); }
static void sigreap(int s) { (void)s; while (waitpid(-1, NULL, WNOHANG) > 0) {} }
int main(void) {
  struct sigaction a = {0}, r = {0};
  a.sa_handler = sigdown; sigaction(SIGINT, &a, NULL); sigaction(SIGTERM, &a, NULL);
  r.sa_handler = sigreap; r.sa_flags = SA_NOCLDSTOP; sigaction(SIGCHLD, &r, NULL);
  for (;;) pause();
}
EOF
  fi
  gcc -Os -static -DVERSION=v3.10-lab -o "$BIN/pause" "$src"
  strip "$BIN/pause"
}

build_echo() {
  cd "$LAB_DIR/echo"
  go build -trimpath -ldflags "-s -w" -o "$BIN/echo" .
  sha256sum main.go go.mod | sha256sum | cut -c1-16 > "$BIN/echo.srcsum"
}

echo_current() {
  [ -x "$BIN/echo" ] && [ -f "$BIN/echo.srcsum" ] &&
    [ "$(cd "$LAB_DIR/echo" && sha256sum main.go go.mod | sha256sum | cut -c1-16)" = "$(cat "$BIN/echo.srcsum")" ]
}

main() {
  local total0=$SECONDS only="${1:-all}"
  log "cache: $KEYDIR"
  if [ "$only" = "gateway-api" ]; then [ -f "$(gateway_api_crds)" ] || timed gateway-api build_gateway_api_crds; return; fi
  timed apt apt_install
  [ -x "$BIN/pause" ] || timed pause build_pause
  echo_current || timed echo build_echo
  if [ "$only" = "all" ] || [ "$only" = "bins" ]; then
    [ -x "$BIN/etcd" ] || timed etcd build_etcd
    local need=0; for c in $K8S_CMDS; do [ -x "$BIN/$c" ] || need=1; done
    [ $need = 0 ] || timed kubernetes build_k8s
    [ -x "$BIN/coredns" ] || timed coredns build_coredns
    [ -f "$BIN/kube-router.drop-patched" ] || timed kube-router build_kube_router
    [ -x "$BIN/traefik" ] || timed traefik build_traefik
    if [ -n "${FLANNEL_VERSION:-}" ] && [ ! -x "$FLANNEL_DIR/bin/flanneld" ]; then mkdir -p "$FLANNEL_DIR"; timed flannel build_flannel; fi
  fi
  [ -f "$(gateway_api_crds)" ] || timed gateway-api build_gateway_api_crds
  [ -x "$BIN/pause" ] || { log "pause missing"; exit 1; }
  # pause is built after k8s is downloaded when possible; rebuild from k8s source once available
  timed images bash "$LAB_DIR/images.sh"
  log "all done in $((SECONDS - total0))s; binaries in $BIN"
}

[ "${BASH_SOURCE[0]}" = "$0" ] || return 0
main "$@"
