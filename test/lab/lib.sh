# Shared paths and helpers for the k8snet lab scripts (sourced, not run).
# Requires VERSIONS to be sourced first.
CACHE_ROOT=/var/cache/k8snet-lab
# The key covers the core components only, so pinning a new component in VERSIONS does not throw
# away the 10-minute cold build: components added later keep their own cache under
# $EXTRA/<name>-<version> (see extra_dir).
LAB_KEY="k8s-${K8S_VERSION}-$(printf '%s\n' "$K8S_VERSION" "$K8S_STAGING_VERSION" "$ETCD_VERSION" "$COREDNS_VERSION" \
  "$KUBE_ROUTER_VERSION" "$TRAEFIK_VERSION" "$PAUSE_TAG" | sha256sum | cut -c1-8)"
KEYDIR="$CACHE_ROOT/$LAB_KEY"
BIN="$KEYDIR/bin"
IMAGES="$KEYDIR/images"
SRC="$KEYDIR/src"
BLOGS="$KEYDIR/logs"
EXTRA="$CACHE_ROOT/extra"
extra_dir() { echo "$EXTRA/$1-$2"; } # extra_dir <component> <version>: cache dir of a later-added component

# ---- lab instance (K8SNET_LAB_INSTANCE, default "k8snet" = the historical names and paths).
# Every path, netns, node name, CNI network, cgroup root and lock below derives from it, so a
# second instance (e.g. K8SNET_LAB_INSTANCE=k8snet2 K8SNET_LAB_API_PORT=6444) runs beside the
# default one and `down` of one never touches the other.
INSTANCE=${K8SNET_LAB_INSTANCE:-k8snet}
case "$INSTANCE" in
  [a-z]*) [[ "$INSTANCE" =~ ^[a-z][a-z0-9]{0,9}$ ]] || { echo "[lab] ERROR: K8SNET_LAB_INSTANCE must match ^[a-z][a-z0-9]{0,9}$" >&2; exit 2; } ;;
  *) echo "[lab] ERROR: K8SNET_LAB_INSTANCE must match ^[a-z][a-z0-9]{0,9}$" >&2; exit 2 ;;
esac
STATE=/var/lib/$INSTANCE-lab
RUN=/run/$INSTANCE-lab
LOGS=$STATE/logs
PKI=$STATE/pki
# Node layout, chosen at `up` (K8SNET_LAB_NODES=2 by default, 1 for the cheaper single node) and remembered in $STATE/node-count, so every
# later command (reset, stop-component, down) acts on the layout that is actually running.
LAB_NODES_WANTED=${K8SNET_LAB_NODES:-2}
LAB_NODES=$( [ -f "$STATE/node-count" ] && cat "$STATE/node-count" || echo "$LAB_NODES_WANTED")
case "$LAB_NODES_WANTED$LAB_NODES" in 11|12|21|22) ;; *) echo "[lab] ERROR: K8SNET_LAB_NODES must be 1 or 2" >&2; exit 2 ;; esac
set_layout() { # set_layout 1|2: the node names of the layout
  LAB_NODES=$1
  if [ "$LAB_NODES" = 1 ]; then NODES="$INSTANCE-node"; else NODES="$INSTANCE-node-a $INSTANCE-node-b"; fi
  FIRST_NODE=${NODES%% *}
}
set_layout "$LAB_NODES"
CP_NETNS=$FIRST_NODE            # the control plane runs in the first node's netns
NETNS=$FIRST_NODE
NETNS_PATH=/var/run/netns/$NETNS
NODE_NAME=$FIRST_NODE
NODE_IP=10.200.0.2
NODE_CIDR=10.200.0.2/32
POD_CIDR=10.244.0.0/24
POD_SUPERNET=10.244.0.0/16
SVC_CIDR=10.96.0.0/16
KUBE_API_SVC_IP=10.96.0.1
DNS_IP=10.96.0.10
CNI_NETWORK=$INSTANCE-lab
# API port on the host's loopback: 6443 for the default instance; another instance needs
# K8SNET_LAB_API_PORT at its first `up`, which is then remembered.
API_HOST_PORT=${K8SNET_LAB_API_PORT:-$( [ -f "$STATE/api-port" ] && cat "$STATE/api-port" || { [ "$INSTANCE" = k8snet ] && echo 6443 || echo ""; })}
CTR_SOCK=$RUN/containerd.sock
KUBECTL="$BIN/kubectl"
ADMIN_KC=$STATE/admin.kubeconfig
# lab.sh's own lock for mutating commands: one per instance (builds share the cache-wide one)
if [ "$INSTANCE" = k8snet ]; then LAB_LOCK=$CACHE_ROOT/lab.lock; else LAB_LOCK=$CACHE_ROOT/lab-$INSTANCE.lock; fi
BUILD_LOCK=$CACHE_ROOT/lab.lock
# Flannel (two-node layout): binary and image in its own cache dir
FLANNEL_DIR=$(extra_dir flannel "${FLANNEL_VERSION:-none}")
