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

STATE=/var/lib/k8snet-lab
RUN=/run/k8snet-lab
LOGS=$STATE/logs
PKI=$STATE/pki
NETNS=k8snet-node
NETNS_PATH=/var/run/netns/$NETNS
NODE_NAME=k8snet-node
NODE_IP=10.200.0.2
NODE_CIDR=10.200.0.2/32
POD_CIDR=10.244.0.0/24
POD_SUPERNET=10.244.0.0/16
SVC_CIDR=10.96.0.0/16
KUBE_API_SVC_IP=10.96.0.1
DNS_IP=10.96.0.10
CNI_NETWORK=k8snet-lab
API_HOST_PORT=${K8SNET_LAB_API_PORT:-6443}
CTR_SOCK=$RUN/containerd.sock
KUBECTL="$BIN/kubectl"
ADMIN_KC=$STATE/admin.kubeconfig
