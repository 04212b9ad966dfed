#!/usr/bin/env bash
# k8snet lab: a real single-node Kubernetes cluster that lives entirely in a
# network namespace on this machine. See test/lab/README.md.
#
#   lab.sh build | up [--fresh] | down | status | reset | env | selftest
#   lab.sh stop-component  kube-proxy|kube-router|coredns|kubelet|traefik|flannel [NODE]
#   lab.sh start-component kube-proxy|kube-router|coredns|kubelet|traefik|flannel [NODE]
#   lab.sh node-mtu NODE MTU | drop-overlay NODE route|fdb | isolate-pod NODE IP | nodes   (two-node layout)
# Instance and layout: K8SNET_LAB_INSTANCE (default k8snet), K8SNET_LAB_API_PORT, K8SNET_LAB_NODES=1|2.
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$LAB_DIR/VERSIONS"
. "$LAB_DIR/lib.sh"

PIDS=$RUN/pids
HOST_ROUTES="$POD_SUPERNET $SVC_CIDR"
# per-node host daemons; in the two-node layout kube-router runs as a DaemonSet (like Flannel), so
# the CNI detection sees the enforcer next to Flannel, and stopping it is visible in the cluster
node_daemons() { if [ "$LAB_NODES" = 1 ]; then echo "containerd kubelet kube-proxy kube-router"; else echo "containerd kubelet kube-proxy"; fi; }
KR_OFF_LABEL=k8snet-lab/kube-router-stopped
CP_DAEMONS="etcd kube-apiserver kube-controller-manager kube-scheduler"
FLANNEL_NS=kube-flannel

# use_node <node>: point the per-node globals (netns, node IP, state dirs, containerd socket,
# kubelet root, pod log dir, CNI conf + IPAM dirs, cgroup root, daemon pid/log suffix) at one
# node. The single-node layout of the default instance keeps exactly the historical paths.
use_node() {
  local n=$1 i=0 x
  for x in $NODES; do [ "$x" = "$n" ] && break; i=$((i + 1)); done
  [ "$x" = "$n" ] || die "unknown node '$n' (nodes: $NODES)"
  NODE_NAME=$n; NETNS=$n; NETNS_PATH=/var/run/netns/$n
  NODE_IP=10.200.0.$((2 + i)); NODE_CIDR=$NODE_IP/32
  if [ "$LAB_NODES" = 1 ]; then NSTATE=$STATE; NRUN=$RUN; DSUF=""; KUBELET_CERT=kubelet
  else NSTATE=$STATE/nodes/$n; NRUN=$RUN/nodes/$n; DSUF=".$n"; KUBELET_CERT=kubelet-$n; fi
  CTR_SOCK=$NRUN/containerd.sock
  CTR_CONF=$NSTATE/containerd/config.toml
  CNI_CONF_DIR=$NSTATE/cni/net.d
  IPAM_DIR=$NSTATE/cni/networks
  KUBELET_ROOT=$NSTATE/kubelet
  POD_LOGS=$NSTATE/pod-logs
  NCONF=$NSTATE/config
  # each kubelet its own cgroup root; "/" only for the historical single-node default instance
  if [ "$INSTANCE" = k8snet ] && [ "$LAB_NODES" = 1 ]; then CGROUP_ROOT=/; else CGROUP_ROOT=/$n; fi
}
use_node "$FIRST_NODE"
on_cp() { use_node "$FIRST_NODE"; } # control-plane daemons live in the first node's netns
# Host paths that the kubelet / containerd shims create at fixed locations.
# `up` records which of them did not exist before, `down` removes only those.
HOST_DIRS="/var/lib/kubelet /var/log/pods /var/log/containers /run/containerd /var/lib/cni"
all_daemons() { local n d; echo $CP_DAEMONS; for n in $NODES; do use_node "$n"; for d in $(node_daemons); do echo "$d$DSUF"; done; done; on_cp; }

log() { echo "[lab $(date +%H:%M:%S)] $*"; }
die() { echo "[lab] ERROR: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || die "run as root"; }

# ---------------------------------------------------------------- timing
PHASES=()
phase() { # phase <name> <cmd...>
  local name=$1; shift
  local t0; t0=$(date +%s.%N)
  log "== $name"
  "$@"
  local dt; dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  PHASES+=("$(printf '%-22s %6ss' "$name" "$dt")")
  log "   $name took ${dt}s"
}
print_phases() { local p; echo "---- phase timings"; for p in "${PHASES[@]}"; do echo "  $p"; done; }

kc() { "$KUBECTL" --kubeconfig "$ADMIN_KC" "$@"; }
in_ns() { nsenter --net="$NETNS_PATH" "$@"; }

wait_for() { # wait_for <seconds> <description> <cmd...>
  local t=$1 what=$2; shift 2
  local end=$((SECONDS + t))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -ge $end ] && { log "timeout (${t}s) waiting for: $what"; return 1; }
    sleep 0.5
  done
}

# ---------------------------------------------------------------- processes
pid_of() { # pid_of <name>: prints pid if the recorded process is alive
  local f=$PIDS/$1.pid p
  [ -f "$f" ] || return 1
  p=$(cat "$f")
  [ -n "$p" ] && [ -d "/proc/$p" ] || return 1
  local exe; exe=$(readlink "/proc/$p/exe" 2>/dev/null || true)
  case "$1" in
    api-proxy) [[ $exe == */socat ]] || return 1 ;;
    *) [[ $exe == */${1%%.*} ]] || return 1 ;;
  esac
  echo "$p"
}

start_daemon() { # start_daemon <name> <binary> <args...>: runs inside the lab netns
  local name=$1; shift
  mkdir -p "$PIDS" "$LOGS"
  if pid_of "$name" >/dev/null; then return 0; fi
  echo "---- start $(date -Is): $*" >> "$LOGS/$name.log"
  # fd 9 is the lab.lock; a daemon must not inherit it, nor fd 3-8: `flock FILE lab.sh ...` (the
  # helpers' lab lock) holds FILE on fd 3, and a daemon that inherits it holds that lock forever
  setsid nsenter --net="$NETNS_PATH" "$@" >> "$LOGS/$name.log" 2>&1 < /dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  echo $! > "$PIDS/$name.pid"
}

alive() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

stop_daemons() { # stop_daemons <signal> <name...>: signal all, then wait (max 5s) and SIGKILL
  local sig=$1 n p pids=(); shift
  for n in "$@"; do
    if p=$(pid_of "$n"); then kill "-$sig" "$p" 2>/dev/null || true; pids+=("$p"); fi
    rm -f "$PIDS/$n.pid"
  done
  local end=$((SECONDS + 5)) left
  while :; do
    left=0; for p in "${pids[@]}"; do alive "$p" && left=1; done
    [ $left = 0 ] && break
    [ $SECONDS -ge $end ] && { for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done; break; }
    sleep 0.1
  done
}
stop_daemon() { stop_daemons TERM "$1"; }

# ---------------------------------------------------------------- build
ensure_built() {
  local missing=0 b
  for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl coredns kube-router traefik echo pause; do
    [ -x "$BIN/$b" ] || missing=1
  done
  for b in pause echo toolbox netshoot distroless coredns traefik; do [ -f "$IMAGES/$b.tar" ] || missing=1; done
  command -v containerd >/dev/null && command -v socat >/dev/null && command -v ipset >/dev/null || missing=1
  if [ "$LAB_NODES" = 2 ]; then [ -x "$FLANNEL_DIR/bin/flanneld" ] && [ -f "$FLANNEL_DIR/images/flannel.tar" ] && [ -f "$FLANNEL_DIR/images/kube-router.tar" ] || missing=1; fi
  [ $missing = 0 ] || bash "$LAB_DIR/build.sh" 2>&1 | tee -a "$CACHE_ROOT/build.log"
}

# ---------------------------------------------------------------- network
net_up() {
  local n
  for n in $NODES; do use_node "$n"; net_up_node; done
  [ "$LAB_NODES" = 1 ] || underlay_up
  on_cp
  # Host side: the pod and service CIDRs can never be routed off the machine.
  local r
  for r in $HOST_ROUTES; do ip route replace blackhole "$r"; done
}

net_up_node() { # the current node's netns (use_node)
  mkdir -p /var/run/netns
  [ -e "$NETNS_PATH" ] || ip netns add "$NETNS"
  in_ns ip link set lo up
  # The node address lives on one end of a veth pair that stays inside the
  # netns (the kernel has no dummy driver). The peer end has forwarding off,
  # so anything routed out of lab0 is dropped right there.
  if ! in_ns ip link show lab0 >/dev/null 2>&1; then
    in_ns ip link add lab0 type veth peer name lab0-sink
  fi
  in_ns sysctl -qw net.ipv4.conf.all.forwarding=1
  in_ns sysctl -qw net.ipv4.conf.lab0-sink.forwarding=0
  # single node: the node address is on lab0; two nodes: on the underlay link ul0 (underlay_up)
  [ "$LAB_NODES" = 1 ] && in_ns ip addr replace "$NODE_CIDR" dev lab0
  in_ns ip link set lab0-sink up
  in_ns ip link set lab0 up
  # Nothing may leave the machine: every private range and the default route
  # are unreachable inside the netns. More specific routes (the pod bridge,
  # the node address, the underlay /24, flannel's per-node routes) still win.
  in_ns ip route replace unreachable default
  local r
  for r in 10.0.0.0/8 172.16.0.0/12 192.168.0.0/16 100.64.0.0/10; do in_ns ip route replace blackhole "$r"; done
  # Service IPs must be routable for locally generated packets (the routing
  # lookup happens before kube-proxy's OUTPUT DNAT); the lab0 veth swallows
  # anything that is not translated (see lab0-sink above).
  in_ns ip route replace "$SVC_CIDR" dev lab0
  in_ns sysctl -qw net.ipv4.ip_forward=1
  in_ns sysctl -qw net.bridge.bridge-nf-call-iptables=1 2>/dev/null || true
  in_ns sysctl -qw net.bridge.bridge-nf-call-ip6tables=1 2>/dev/null || true
  in_ns sysctl -qw net.ipv4.conf.all.route_localnet=1
  in_ns sysctl -qw net.ipv6.conf.all.disable_ipv6=1 2>/dev/null || true
}

# The underlay between the two nodes: one veth pair whose ends (both named ul0) sit in the two
# node netns, 10.200.0.2/24 and 10.200.0.3/24. Nothing else is attached to it, so it reaches
# nothing but the other node. Flannel's VXLAN (UDP 8472) runs over it.
underlay_up() {
  local a b; a=${NODES%% *}; b=${NODES##* }
  if ! ip -n "$a" link show ul0 >/dev/null 2>&1; then
    ip link add ul0-tmp-a netns "$a" type veth peer name ul0-tmp-b netns "$b"
    ip -n "$a" link set ul0-tmp-a name ul0; ip -n "$b" link set ul0-tmp-b name ul0
  fi
  local n
  for n in $NODES; do
    use_node "$n"
    in_ns ip link set ul0 mtu 1500
    in_ns ip addr replace "$NODE_IP/24" dev ul0
    in_ns ip link set ul0 up
  done
}

# ---------------------------------------------------------------- pki
gen_cert() { # gen_cert <name> <subject> [sans]
  local n=$1 subj=$2 sans=${3:-}
  [ -f "$PKI/$n.crt" ] && return 0
  openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/$n.key" 2>/dev/null
  openssl req -new -key "$PKI/$n.key" -subj "$subj" -out "$PKI/$n.csr" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    if [ -n "$sans" ]; then echo "extendedKeyUsage=serverAuth,clientAuth"; echo "subjectAltName=$sans"
    else echo "extendedKeyUsage=clientAuth"; fi
  } > "$PKI/$n.ext"
  openssl x509 -req -in "$PKI/$n.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -sha256 -extfile "$PKI/$n.ext" -out "$PKI/$n.crt" 2>/dev/null
  rm -f "$PKI/$n.csr" "$PKI/$n.ext"
}

mk_kubeconfig() { # mk_kubeconfig <file> <cert-name> <server> <user>
  local f=$1 n=$2 server=$3 user=$4
  cat > "$f" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: k8snet-lab
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 < "$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 < "$PKI/$n.crt")
    client-key-data: $(base64 -w0 < "$PKI/$n.key")
contexts:
- name: $user@k8snet-lab
  context: {cluster: k8snet-lab, user: $user}
current-context: $user@k8snet-lab
EOF
  chmod 600 "$f"
}

pki_up() {
  mkdir -p "$PKI"; chmod 700 "$PKI"
  if [ ! -f "$PKI/ca.crt" ]; then
    openssl ecparam -name prime256v1 -genkey -noout -out "$PKI/ca.key" 2>/dev/null
    openssl req -x509 -new -key "$PKI/ca.key" -subj "/CN=k8snet-lab-ca" -days 3650 -sha256 \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
      -out "$PKI/ca.crt" 2>/dev/null
  fi
  [ -f "$PKI/sa.key" ] || { openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null; openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null; }
  gen_cert apiserver "/CN=kube-apiserver" \
    "IP:127.0.0.1,IP:$NODE_IP,IP:$KUBE_API_SVC_IP,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:$NODE_NAME"
  gen_cert apiserver-kubelet-client "/CN=kube-apiserver-kubelet-client"
  gen_cert admin "/O=system:masters/CN=admin"
  gen_cert controller-manager "/CN=system:kube-controller-manager"
  gen_cert scheduler "/CN=system:kube-scheduler"
  local n
  for n in $NODES; do use_node "$n"; gen_cert "$KUBELET_CERT" "/O=system:nodes/CN=system:node:$n"; done
  on_cp
  gen_cert kube-proxy "/O=system:node-proxier/CN=system:kube-proxy"
  gen_cert kube-router "/O=system:masters/CN=system:kube-router"
  gen_cert k8snet-reader "/CN=k8snet-reader"
  gen_cert k8snet-noexec "/CN=k8snet-noexec"
  gen_cert k8snet-nobody "/CN=k8snet-nobody"
  # a second cluster-admin, so a test can tell k8snet's requests (as admin)
  # apart from its own setup requests (user "admin") in the audit log
  gen_cert k8snet-admin "/O=system:masters/CN=k8snet-admin"
  local inner="https://$NODE_IP:6443" outer="https://127.0.0.1:$API_HOST_PORT"
  mk_kubeconfig "$STATE/controller-manager.kubeconfig" controller-manager "$inner" system:kube-controller-manager
  mk_kubeconfig "$STATE/scheduler.kubeconfig" scheduler "$inner" system:kube-scheduler
  for n in $NODES; do
    use_node "$n"; mkdir -p "$NSTATE"
    mk_kubeconfig "$NSTATE/kubelet.kubeconfig" "$KUBELET_CERT" "$inner" "system:node:$n"
  done
  on_cp
  mk_kubeconfig "$STATE/kube-proxy.kubeconfig" kube-proxy "$inner" system:kube-proxy
  mk_kubeconfig "$STATE/kube-router.kubeconfig" kube-router "$inner" system:kube-router
  mk_kubeconfig "$ADMIN_KC" admin "$outer" admin
  mk_kubeconfig "$STATE/readonly.kubeconfig" k8snet-reader "$outer" k8snet-reader
  mk_kubeconfig "$STATE/noexec.kubeconfig" k8snet-noexec "$outer" k8snet-noexec
  mk_kubeconfig "$STATE/nobody.kubeconfig" k8snet-nobody "$outer" k8snet-nobody
  mk_kubeconfig "$STATE/k8snet-admin.kubeconfig" k8snet-admin "$outer" k8snet-admin
  # Same admin identity, but reaching the API inside the netns (for in-netns tools).
  mk_kubeconfig "$STATE/admin-inner.kubeconfig" admin "$inner" admin
  mkdir -p "$STATE/bin"; ln -sfn "$BIN/kubectl" "$STATE/bin/kubectl"
}

# ---------------------------------------------------------------- control plane
write_configs() {
  mkdir -p "$STATE/config" "$LOGS"
  cat > "$STATE/config/audit-policy.yaml" <<'EOF'
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived]
rules:
- level: Metadata
EOF
  local n
  for n in $NODES; do use_node "$n"; mkdir -p "$NCONF"; write_node_configs; done
  on_cp
}

write_node_configs() { # kubelet, kube-proxy, CNI (single node) and containerd config of the current node
  cat > "$NCONF/kubelet.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
failCgroupV1: false
containerRuntimeEndpoint: unix://$CTR_SOCK
imageServiceEndpoint: unix://$CTR_SOCK
clusterDNS: [$DNS_IP]
clusterDomain: cluster.local
resolvConf: ""
address: $NODE_IP
healthzBindAddress: 127.0.0.1
readOnlyPort: 0
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
failSwapOn: false
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {imagefs.available: "0%", nodefs.available: "0%", nodefs.inodesFree: "0%", imagefs.inodesFree: "0%"}
podLogsDir: $POD_LOGS
cgroupRoot: $CGROUP_ROOT
shutdownGracePeriod: 0s
shutdownGracePeriodCriticalPods: 0s
syncFrequency: 5s
nodeStatusUpdateFrequency: 5s
serializeImagePulls: false
maxPods: 110
EOF
  cat > "$NCONF/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: $POD_SUPERNET
hostnameOverride: $NODE_NAME
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
clientConnection: {kubeconfig: $STATE/kube-proxy.kubeconfig}
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
iptables: {minSyncPeriod: 0s, syncPeriod: 30s}
oomScoreAdj: 0
nodePortAddresses: [primary]
EOF
  mkdir -p "$CNI_CONF_DIR" "$IPAM_DIR"
  # two nodes: the flannel DaemonSet writes this node's CNI config once it holds a lease
  if [ "$LAB_NODES" = 1 ]; then
  cat > "$CNI_CONF_DIR/10-k8snet-lab.conflist" <<EOF
{"cniVersion":"1.0.0","name":"$CNI_NETWORK","plugins":[
 {"type":"bridge","bridge":"cni0","isGateway":true,"ipMasq":false,"hairpinMode":true,
  "ipam":{"type":"host-local","dataDir":"$IPAM_DIR",
          "ranges":[[{"subnet":"$POD_CIDR","gateway":"10.244.0.1"}]],
          "routes":[{"dst":"0.0.0.0/0"}]}},
 {"type":"portmap","capabilities":{"portMappings":true}},
 {"type":"loopback"}]}
EOF
  fi
  mkdir -p "$NSTATE/containerd"
  cat > "$CTR_CONF" <<EOF
version = 2
root = "$NSTATE/containerd/root"
state = "$NRUN/containerd"
[grpc]
  address = "$CTR_SOCK"
[ttrpc]
  address = ""
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$NSTATE/containerd/opt"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "lab.local/pause:$PAUSE_TAG"
  enable_selinux = false
  max_container_log_line_size = 16384
  netns_mounts_under_state_dir = true
  # this machine withholds CAP_SYS_RESOURCE, so no process may lower its
  # oom_score_adj; without this runc fails with "can't get final child's PID"
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd]
    snapshotter = "overlayfs"
    default_runtime_name = "runc"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
        SystemdCgroup = false
        Root = "$NRUN/runc"
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$CNI_CONF_DIR"
    max_conf_num = 1
  [plugins."io.containerd.grpc.v1.cri".registry]
    config_path = ""
EOF
}

start_etcd() {
  mkdir -p "$STATE/etcd"; chmod 700 "$STATE/etcd"
  start_daemon etcd "$BIN/etcd" --name k8snet-lab --data-dir "$STATE/etcd" \
    --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
    --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
    --initial-cluster k8snet-lab=http://127.0.0.1:2380 --listen-metrics-urls http://127.0.0.1:2381 \
    --quota-backend-bytes 2147483648 --snapshot-count 10000 --log-level warn
  wait_for 30 "etcd health" in_ns curl -fsS http://127.0.0.1:2379/health
}

start_apiserver() {
  start_daemon kube-apiserver "$BIN/kube-apiserver" \
    --advertise-address="$NODE_IP" --bind-address=0.0.0.0 --secure-port=6443 \
    --etcd-servers=http://127.0.0.1:2379 \
    --tls-cert-file="$PKI/apiserver.crt" --tls-private-key-file="$PKI/apiserver.key" \
    --client-ca-file="$PKI/ca.crt" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-preferred-address-types=InternalIP,Hostname \
    --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction --allow-privileged=true \
    --service-cluster-ip-range="$SVC_CIDR" --service-node-port-range=30000-32767 \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --audit-policy-file="$STATE/config/audit-policy.yaml" --audit-log-path="$STATE/audit.log" \
    --audit-log-maxsize=2048 --audit-log-maxbackup=2 --audit-log-format=json \
    --endpoint-reconciler-type=lease --event-ttl=1h --profiling=false --v=1
  wait_for 90 "kube-apiserver /readyz" in_ns curl -fsSk --cacert "$PKI/ca.crt" \
    --cert "$PKI/admin.crt" --key "$PKI/admin.key" "https://$NODE_IP:6443/readyz"
}

start_api_proxy() {
  if pid_of api-proxy >/dev/null; then return 0; fi
  if ss -Hltn "sport = :$API_HOST_PORT" | grep -q .; then
    die "host port 127.0.0.1:$API_HOST_PORT is already in use (set K8SNET_LAB_API_PORT)"
  fi
  mkdir -p "$PIDS"
  setsid socat "TCP-LISTEN:$API_HOST_PORT,bind=127.0.0.1,reuseaddr,fork" \
    "EXEC:nsenter --net=$NETNS_PATH socat STDIO TCP\:$NODE_IP\:6443" \
    >> "$LOGS/api-proxy.log" 2>&1 < /dev/null 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
  echo $! > "$PIDS/api-proxy.pid"
  wait_for 20 "API through 127.0.0.1:$API_HOST_PORT" kc get --raw=/readyz
}

start_cm_sched() {
  start_daemon kube-controller-manager "$BIN/kube-controller-manager" \
    --kubeconfig="$STATE/controller-manager.kubeconfig" --authentication-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --use-service-account-credentials=true \
    --service-account-private-key-file="$PKI/sa.key" --root-ca-file="$PKI/ca.crt" \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key" \
    --service-cluster-ip-range="$SVC_CIDR" --allocate-node-cidrs=true --cluster-cidr="$POD_SUPERNET" \
    --node-cidr-mask-size=24 --cluster-name=k8snet-lab --node-monitor-grace-period=20s --v=1
  start_daemon kube-scheduler "$BIN/kube-scheduler" \
    --kubeconfig="$STATE/scheduler.kubeconfig" --authentication-kubeconfig="$STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/scheduler.kubeconfig" --bind-address=127.0.0.1 --leader-elect=false --v=1
}

ctr_() { ctr --address "$CTR_SOCK" -n k8s.io "$@"; }

start_containerd() { # every node's containerd
  local n
  for n in $NODES; do
    use_node "$n"
    mkdir -p "$NRUN" "$NSTATE/containerd/root"
    start_daemon "containerd$DSUF" containerd --config "$CTR_CONF"
  done
  for n in $NODES; do use_node "$n"; wait_for 30 "containerd socket ($n)" ctr --address "$CTR_SOCK" version; done
  on_cp
}

import_images() { # into every node's containerd
  local n
  for n in $NODES; do use_node "$n"; import_images_node; done
  on_cp
}

import_images_node() {
  local f ref have
  have=$(ctr_ images ls -q 2>/dev/null || true)
  local tars=("$IMAGES"/*.tar)
  [ "$LAB_NODES" = 1 ] || tars+=("$FLANNEL_DIR/images/flannel.tar" "$FLANNEL_DIR/images/kube-router.tar")
  for f in "${tars[@]}"; do
    ref=$(cat "${f%.tar}.ref")
    # re-import only when missing or when the tarball changed
    if grep -qx "$ref" <<<"$have" && [ -f "$NSTATE/containerd/imported.$(basename "$f")" ] \
       && [ ! "$f" -nt "$NSTATE/containerd/imported.$(basename "$f")" ]; then continue; fi
    ctr_ images import --no-unpack=false "$f" >/dev/null
    touch "$NSTATE/containerd/imported.$(basename "$f")"
  done
  ctr_ images ls -q | grep -q "lab.local/pause:$PAUSE_TAG" || die "pause image not imported ($NODE_NAME)"
}

cgroup_root_up() { # the kubelet refuses a cgroupRoot that does not exist in every controller
  [ "$CGROUP_ROOT" = / ] && return 0
  local c d
  for c in /sys/fs/cgroup/*/; do
    [ -f "$c/cgroup.procs" ] || continue
    d=$c${CGROUP_ROOT#/}
    mkdir -p "$d"
    # cgroup v1 cpuset: a new group starts with no CPUs and no memory nodes
    if [ -f "$d/cpuset.cpus" ] && [ -z "$(cat "$d/cpuset.cpus")" ]; then
      cat "$c/cpuset.cpus" > "$d/cpuset.cpus"; cat "$c/cpuset.mems" > "$d/cpuset.mems"
    fi
  done
}

start_kubelet() { # the current node's kubelet
  mkdir -p "$KUBELET_ROOT" "$POD_LOGS"
  cgroup_root_up
  start_daemon "kubelet$DSUF" "$BIN/kubelet" --config="$NCONF/kubelet.yaml" \
    --kubeconfig="$NSTATE/kubelet.kubeconfig" --root-dir="$KUBELET_ROOT" --cert-dir="$KUBELET_ROOT/pki" \
    --node-ip="$NODE_IP" --hostname-override="$NODE_NAME" --oom-score-adj=0 --v=1
}

start_node() {
  local n
  for n in $NODES; do use_node "$n"; start_kubelet; start_kube_proxy; done
  on_cp
}

start_netpol() { # kube-router exits unless its Node object already exists
  if [ "$LAB_NODES" = 2 ]; then apply_kube_router_ds; wait_kube_router_ds; return; fi
  local n
  for n in $NODES; do
    use_node "$n"
    start_kube_router
    wait_for 30 "kube-router healthz ($n)" in_ns curl -fsS http://127.0.0.1:20244/healthz
  done
  on_cp
}

start_kube_proxy() {
  start_daemon "kube-proxy$DSUF" "$BIN/kube-proxy" --config="$NCONF/kube-proxy.yaml" --v=1
}

# two nodes: the kube-router DaemonSet (policy only); a node labelled $KR_OFF_LABEL runs none
apply_kube_router_ds() {
  [ "$LAB_NODES" = 2 ] || return 0
  render "$LAB_DIR/manifests-two-nodes/kube-router.yaml" | kc apply -f - >/dev/null
}
wait_kube_router_ds() {
  kc -n kube-system rollout status ds/kube-router --timeout=120s >/dev/null
  local n
  for n in $NODES; do use_node "$n"; wait_for 30 "kube-router healthz ($n)" in_ns curl -fsS http://127.0.0.1:20244/healthz; done
  on_cp
}

start_kube_router() {
  [ "$LAB_NODES" = 1 ] || return 0 # a DaemonSet in the two-node layout
  start_daemon "kube-router$DSUF" "$BIN/kube-router" --kubeconfig="$STATE/kube-router.kubeconfig" \
    --hostname-override="$NODE_NAME" --run-firewall=true --run-router=false --run-service-proxy=false \
    --enable-cni=false --enable-ipv6=false --enable-ipv4=true --health-port=20244 --metrics-port=0 \
    --iptables-sync-period=10s --ipvs-sync-period=30s --v=1
}

node_ready() { # node_ready [node]: the current node by default
  [ "$(kc get node "${1:-$NODE_NAME}" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]
}

all_nodes_ready() { local n; for n in $NODES; do node_ready "$n" || return 1; done; }
nodes_registered() { local n; for n in $NODES; do kc get node "$n" >/dev/null 2>&1 || return 1; done; }

render() { # render <file>: substitute the placeholders in a manifest
  # "replicas: 1  # two-nodes: N" becomes "replicas: N" in the two-node layout
  local two='s/^\([[:space:]]*replicas:\) 1 *# two-nodes: \([0-9]*\)$/\1 \2/'
  [ "$LAB_NODES" = 2 ] || two='s/^\([[:space:]]*replicas: 1\) *# two-nodes: .*$/\1/'
  sed -e "s/COREDNS_VERSION/$COREDNS_VERSION/g" -e "s/TRAEFIK_VERSION/$TRAEFIK_VERSION/g" \
      -e "s/NODE_IP/$NODE_IP/g" -e "s/LAB_FIRST_NODE/$FIRST_NODE/g" -e "$two" \
      -e "s/FLANNEL_VERSION/$FLANNEL_VERSION/g" -e "s/KUBE_ROUTER_VERSION/$KUBE_ROUTER_VERSION/g" -e "s#LAB_STATE_DIR#$STATE#g" -e "s#LAB_RUN_DIR#$RUN#g" "$1"
}

# The system manifests: k8snet's shipped RBAC first (the lab's users are bound to exactly it), then
# the lab's own (RBAC bindings, CoreDNS, Traefik).
system_files() { echo "$LAB_DIR/../../deploy/rbac.yaml"; ls "$LAB_DIR"/manifests/*.yaml; }

apply_system() {
  local f
  apply_gateway_crds
  for f in $(system_files); do render "$f"; echo "---"; done | kc apply -f - >/dev/null
  apply_flannel
}

# Gateway API CRDs (standard channel, the version Traefik implements), before the system manifests
# that create a GatewayClass and a Gateway. Server-side apply: the HTTPRoute CRD (340 KB) is larger
# than the last-applied annotation of a client-side apply may be.
gateway_crds_file() { echo "$(extra_dir gateway-api "$GATEWAY_API_VERSION")/standard-install.yaml"; }
apply_gateway_crds() {
  local crds; crds=$(gateway_crds_file)
  [ -f "$crds" ] || bash "$LAB_DIR/build.sh" gateway-api >&2
  kc apply --server-side --force-conflicts --field-manager=k8snet-lab -f "$crds" >/dev/null
  kc wait --for=condition=Established --timeout=60s -f "$crds" >/dev/null
}

# reset: the Gateway API CRDs only when one is missing (no scenario edits them; applying the 340 KB
# bundle server-side costs ~2.5 s), then system manifests, CNI, enforcer and baseline in one kubectl
# apply (each kubectl apply pays discovery and OpenAPI reads first)
gateway_crds_present() {
  local names; names=$(awk '/^kind: CustomResourceDefinition/{c=1} c && /^  name: /{print $2; c=0}' "$(gateway_crds_file)")
  [ -n "$names" ] && kc get crd $names >/dev/null 2>&1
}
reapply_world() {
  local f
  gateway_crds_present || apply_gateway_crds
  mkdir -p "$RUN/flannel"
  { for f in $(system_files); do render "$f"; echo "---"; done
    if [ "$LAB_NODES" = 2 ]; then
      render "$LAB_DIR/manifests-two-nodes/flannel.yaml"; echo "---"
      render "$LAB_DIR/manifests-two-nodes/kube-router.yaml"; echo "---"
    fi
    for f in "$LAB_DIR"/baseline/*.yaml; do render "$f"; echo "---"; done
  } | kc apply -f - >/dev/null
}

apply_baseline() {
  local f
  for f in "$LAB_DIR"/baseline/*.yaml; do render "$f"; echo "---"; done | kc apply -f - >/dev/null
}

# Two-node layout: the CNI is Flannel (VXLAN), a DaemonSet built from the Go module; each node's
# flanneld takes the node's podCIDR as its lease and its install-cni container then writes that
# node's CNI config (bridge + host-local on the leased subnet).
apply_flannel() {
  [ "$LAB_NODES" = 2 ] || return 0
  mkdir -p "$RUN/flannel"
  render "$LAB_DIR/manifests-two-nodes/flannel.yaml" | kc apply -f - >/dev/null
}

wait_flannel() {
  [ "$LAB_NODES" = 2 ] || return 0
  kc -n "$FLANNEL_NS" rollout status ds/kube-flannel-ds --timeout=120s >/dev/null
}

coredns_replicas() { [ "$LAB_NODES" = 2 ] && echo 2 || echo 1; }

wait_system() {
  wait_flannel
  [ "$LAB_NODES" = 1 ] || kc -n kube-system rollout status ds/kube-router --timeout=120s >/dev/null
  kc -n kube-system rollout status deploy/coredns --timeout=120s >/dev/null
  kc -n traefik rollout status deploy/traefik --timeout=120s >/dev/null
}

wait_baseline() {
  local d
  for d in payments/payments-api orders/orders-api production/payments-api production/orders-api; do
    kc -n "${d%/*}" rollout status "deploy/${d#*/}" --timeout=120s >/dev/null
  done
  kc -n payments wait --for=condition=Ready pod/debug-pod --timeout=120s >/dev/null
  wait_for 60 "ingress status" ingress_admitted
  wait_for 60 "httproute accepted" httproute_accepted
  wait_for 60 "kube-router policy rules for payments pods" netpol_synced
}

netpol_synced() { # the kube-router of its node has a DROP rule for every running pod in payments
  local rules p node
  while read -r p node; do
    [ -n "$p" ] || continue
    use_node "$node"
    rules=$(in_ns iptables-save -t filter 2>/dev/null | grep 'rule to DROP traffic destined for POD') || { on_cp; return 1; }
    grep -q "name:$p namespace: payments" <<<"$rules" || { on_cp; return 1; }
  done < <(kc -n payments get pods --field-selector=status.phase=Running -o jsonpath='{range .items[*]}{.metadata.name} {.spec.nodeName}{"\n"}{end}')
  on_cp
}

httproute_accepted() { # Traefik accepted the baseline HTTPRoute for its parent Gateway
  [ "$(kc -n production get httproute api-route -o jsonpath='{.status.parents[0].conditions[?(@.type=="Accepted")].status}' 2>/dev/null)" = True ]
}

ingress_admitted() {
  [ -n "$(kc -n production get ingress api-ingress -o jsonpath='{.status.loadBalancer.ingress[0].ip}' 2>/dev/null)" ]
}

healthy() { # quick check: every daemon alive and the API answers
  local d
  for d in $(all_daemons) api-proxy; do pid_of "$d" >/dev/null || return 1; done
  kc get --raw=/readyz >/dev/null 2>&1
}

# ---------------------------------------------------------------- commands
cmd_up() {
  need_root
  local fresh=0; [ "${1:-}" = "--fresh" ] && fresh=1
  local T0=$SECONDS
  [ -n "$API_HOST_PORT" ] || die "instance '$INSTANCE' needs an API port: set K8SNET_LAB_API_PORT (6443 is the default instance's)"
  # a different node layout than the running one means a fresh cluster (torn down in its old layout)
  if [ "$LAB_NODES_WANTED" != "$LAB_NODES" ]; then
    log "switching from $LAB_NODES node(s) to $LAB_NODES_WANTED"; fresh=1
  fi
  phase build ensure_built
  if [ $fresh = 0 ] && healthy; then
    log "cluster already running; re-applying the world (use 'up --fresh' to rebuild it)"
    pki_up
    phase images import_images
  else
    if any_state_left; then phase cleanup-stale cmd_down; fi
    set_layout "$LAB_NODES_WANTED"; on_cp
    mkdir -p "$STATE" "$RUN" "$LOGS" "$PIDS"
    echo "$LAB_NODES" > "$STATE/node-count"
    echo "$API_HOST_PORT" > "$STATE/api-port"
    findmnt -no PROPAGATION / > "$STATE/root-propagation" 2>/dev/null || true
    local hd; : > "$STATE/host-dirs-created"
    for hd in $HOST_DIRS; do [ -e "$hd" ] || echo "$hd" >> "$STATE/host-dirs-created"; done
    mount --make-rshared /
    [ -e /dev/kmsg ] || ln -s /dev/console /dev/kmsg
    phase network net_up
    phase pki pki_up
    write_configs
    phase etcd start_etcd
    phase kube-apiserver start_apiserver
    phase api-proxy start_api_proxy
    phase controllers start_cm_sched
    phase containerd start_containerd
    phase images import_images
    phase node start_node
    if [ "$LAB_NODES" = 2 ]; then
      phase nodes-registered wait_for 60 "nodes registered" nodes_registered
      phase flannel apply_flannel
    fi
    phase node-ready wait_for 120 "node Ready" all_nodes_ready
    phase kube-router start_netpol
  fi
  phase system-apps apply_system
  phase system-ready wait_system
  phase baseline apply_baseline
  phase baseline-ready wait_baseline
  phase selftest bash "$LAB_DIR/selftest.sh"
  print_phases
  log "cluster up in $((SECONDS - T0))s"
  cmd_env_info
}

any_state_left() {
  local n
  if [ -d "$STATE" ] || [ -d "$RUN" ]; then return 0; fi
  for n in $NODES; do [ -e "/var/run/netns/$n" ] && return 0; done
  return 1
}

cmd_env_info() {
  cat <<EOF
instance:             $INSTANCE ($LAB_NODES node(s): $NODES)
admin kubeconfig:     $ADMIN_KC
readonly kubeconfig:  $STATE/readonly.kubeconfig   (user k8snet-reader: read + pods/exec)
noexec kubeconfig:    $STATE/noexec.kubeconfig     (user k8snet-noexec: read, no exec)
nobody kubeconfig:    $STATE/nobody.kubeconfig     (user k8snet-nobody: no bindings)
k8snet-admin kc:      $STATE/k8snet-admin.kubeconfig (user k8snet-admin: system:masters, distinct from "admin")
API server:           https://127.0.0.1:$API_HOST_PORT (socat -> $NODE_IP:6443 in netns $NETNS)
kubectl:              $STATE/bin/kubectl
audit log:            $STATE/audit.log
eval "\$(${K8SNET_LAB_INSTANCE:+K8SNET_LAB_INSTANCE=$INSTANCE }bash $LAB_DIR/lab.sh env)"
EOF
}

cmd_env() {
  [ -f "$ADMIN_KC" ] && [ -e "$NETNS_PATH" ] || { echo "the k8snet lab (instance $INSTANCE) is not up (run: ${K8SNET_LAB_INSTANCE:+K8SNET_LAB_INSTANCE=$INSTANCE }bash $LAB_DIR/lab.sh up)" >&2; return 1; }
  cat <<EOF
export KUBECONFIG=$ADMIN_KC
export K8SNET_LAB_KUBECONFIG=$ADMIN_KC
export K8SNET_LAB_READONLY_KUBECONFIG=$STATE/readonly.kubeconfig
export K8SNET_LAB_NOEXEC_KUBECONFIG=$STATE/noexec.kubeconfig
export K8SNET_LAB_NOBODY_KUBECONFIG=$STATE/nobody.kubeconfig
export K8SNET_LAB_K8SNET_ADMIN_KUBECONFIG=$STATE/k8snet-admin.kubeconfig
export K8SNET_LAB_AUDIT_LOG=$STATE/audit.log
export K8SNET_LAB_KUBECTL=$STATE/bin/kubectl
export K8SNET_LAB_NODE_IP=$NODE_IP
export K8SNET_LAB_NETNS=$NETNS
export K8SNET_LAB_LOGS=$LOGS
export K8SNET_LAB_RUN=$RUN
export K8SNET_LAB_STATE=$STATE
export K8SNET_LAB_SH=$LAB_DIR/lab.sh
export K8SNET_LAB_INSTANCE=$INSTANCE
export K8SNET_LAB_API_PORT=$API_HOST_PORT
export K8SNET_LAB_NODE_COUNT=$LAB_NODES
export K8SNET_LAB_NODE_NAMES="$NODES"
EOF
}

pod_netns_paths() { # netns bind mounts of the current node's pod sandboxes
  local id
  for id in $(ctr_ containers ls -q 2>/dev/null); do
    ctr_ containers info "$id" 2>/dev/null | grep -o '"/[^"]*/netns/cni-[^"]*"' | tr -d '"'
  done | sort -u
}

other_instances_up() { # another lab instance's node netns exists on this machine
  local f b mine n
  for f in /var/run/netns/*-node /var/run/netns/*-node-[a-z]; do
    [ -e "$f" ] || continue
    b=$(basename "$f"); mine=0
    for n in $NODES $INSTANCE-node $INSTANCE-node-a $INSTANCE-node-b; do [ "$b" = "$n" ] && mine=1; done
    [ $mine = 1 ] || return 0
  done
  return 1
}

cmd_down() {
  need_root
  local t0=$SECONDS n
  log "tearing down the lab (instance $INSTANCE, nodes: $NODES)"
  # everything is thrown away, so no graceful shutdown is needed
  for n in $NODES; do use_node "$n"; stop_daemons KILL "kubelet$DSUF" "kube-proxy$DSUF" "kube-router$DSUF"; done
  on_cp; stop_daemons KILL kube-scheduler kube-controller-manager
  # remember the pod netns paths before the containers go away
  local netnses="" cids="" id
  for n in $NODES; do
    use_node "$n"
    if [ -S "$CTR_SOCK" ] && pid_of "containerd$DSUF" >/dev/null; then
      netnses+=$'\n'$(pod_netns_paths || true)
      cids+=" $(ctr_ containers ls -q 2>/dev/null | tr '\n' ' ' || true)"
      for id in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks delete -f "$id" >/dev/null 2>&1 & done
      wait
    fi
  done
  on_cp; stop_daemons KILL kube-apiserver etcd api-proxy
  local p cg
  for n in $NODES; do
    use_node "$n"; stop_daemons KILL "containerd$DSUF"
    # leftover shims of this node's containerd instance (identified by its socket address)
    for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $CTR_SOCK( |$)" || true); do kill -KILL "$p" 2>/dev/null || true; done
    # every process still living in this kubelet's pod cgroups (cgroupfs driver, own cgroup root)
    for cg in /sys/fs/cgroup/*/"${CGROUP_ROOT#/}"; do
      cg=${cg%/}/kubepods
      [ -d "$cg" ] || continue
      find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | sort -u | xargs -r kill -KILL 2>/dev/null || true
    done
    # any other process left inside the node netns (daemons, socat children)
    if [ -e "$NETNS_PATH" ]; then
      for p in $(ip netns pids "$NETNS" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
    fi
  done
  sleep 0.3
  for n in $NODES; do
    use_node "$n"
    for cg in /sys/fs/cgroup/*/"${CGROUP_ROOT#/}"; do
      cg=${cg%/}
      [ -d "$cg/kubepods" ] && find "$cg/kubepods" -depth -type d -exec rmdir {} \; 2>/dev/null
      [ "$CGROUP_ROOT" = / ] || rmdir "$cg" 2>/dev/null || true
    done
  done
  # pod network namespaces of our containers only (another instance's pods are never touched)
  while read -r n; do
    [ -n "$n" ] && [ -e "$n" ] || continue
    for p in $(ip netns pids "$(basename "$n")" 2>/dev/null); do kill -KILL "$p" 2>/dev/null || true; done
    umount "$n" 2>/dev/null || umount -l "$n" 2>/dev/null || true
    rm -f "$n"
  done <<<"$netnses"
  # mounts under our directories (overlay rootfs, shm, projected volumes, pod netns, ...)
  local m
  for m in $(findmnt -rn -o TARGET | grep -E "^($STATE|$RUN)(/|$)" | sort -r); do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
  for n in $NODES; do
    use_node "$n"
    if [ -e "$NETNS_PATH" ]; then ip netns del "$NETNS" 2>/dev/null || { umount -l "$NETNS_PATH" 2>/dev/null; rm -f "$NETNS_PATH"; }; fi
  done
  on_cp
  local r shared=0
  other_instances_up && shared=1
  if [ $shared = 0 ]; then
    for r in $HOST_ROUTES; do ip route del blackhole "$r" 2>/dev/null || true; done
    if [ -f "$STATE/root-propagation" ] && [ "$(cat "$STATE/root-propagation")" = private ]; then
      mount --make-rprivate / 2>/dev/null || true
    fi
  else
    log "another lab instance is up: host blackhole routes, / propagation and shared host dirs stay"
  fi
  local hd
  if [ -f "$STATE/host-dirs-created" ] && [ $shared = 0 ]; then
    for hd in $(cat "$STATE/host-dirs-created"); do
      grep -qw -- "$hd" <<<"$HOST_DIRS" && rm -rf -- "$hd"
    done
  fi
  local podlogs=()
  for n in $NODES; do use_node "$n"; podlogs+=("$POD_LOGS"); done
  on_cp
  rm -rf "$RUN" "$STATE" "/var/lib/cni/networks/$CNI_NETWORK" "/etc/cni/net.d/10-$CNI_NETWORK.conflist"
  rm -f /var/lib/cni/results/"$CNI_NETWORK"-* 2>/dev/null || true
  for id in $cids; do rm -f /var/lib/cni/results/*-"$id"-* 2>/dev/null || true; done
  # kubelet's fixed /var/log/containers symlinks that point into our pod log dirs
  if [ -d /var/log/containers ]; then
    for m in "${podlogs[@]}"; do find /var/log/containers -maxdepth 1 -type l -lname "$m/*" -delete 2>/dev/null || true; done
  fi
  log "down in $((SECONDS - t0))s (build cache kept in $KEYDIR)"
}

cmd_status() {
  local d p rc=0
  echo "processes:"
  for d in $(all_daemons) api-proxy; do
    if p=$(pid_of "$d"); then printf '  %-40s running (pid %s)\n' "$d" "$p"; else printf '  %-40s STOPPED\n' "$d"; rc=1; fi
  done
  if kc get --raw=/readyz >/dev/null 2>&1; then
    echo "node:"; kc get node -o wide | sed 's/^/  /'
    echo "kube-system / traefik pods:"; kc get pods -n kube-system -o wide | sed 's/^/  /'
    kc get pods -n traefik -o wide | sed 1d | sed 's/^/  /'
    [ "$LAB_NODES" = 1 ] || kc get pods -n "$FLANNEL_NS" -o wide | sed 1d | sed 's/^/  /'
  else
    echo "API: not reachable"; rc=1
  fi
  cmd_env_info
  return $rc
}

BASE_NS="default kube-system kube-public kube-node-lease traefik payments orders production"
[ "$LAB_NODES" = 1 ] || BASE_NS="$BASE_NS $FLANNEL_NS"

# Two nodes: undo what node-mtu / drop-overlay / stop-component flannel did (recorded in $RUN/overlay-dirty)
restore_overlay() {
  [ "$LAB_NODES" = 2 ] && [ -f "$RUN/overlay-dirty" ] || return 0
  local n
  rm -f "$RUN"/flannel/disabled.*
  for n in $NODES; do
    use_node "$n"; in_ns ip link set ul0 mtu 1500
    in_ns iptables -t raw -F K8SNET-LAB-ISOLATE 2>/dev/null || true
    in_ns iptables -t raw -F K8SNET-LAB-MTU 2>/dev/null || true
  done
  on_cp
  # flanneld re-programs the VXLAN device, its routes, neighbours and FDB entries at start
  kc -n "$FLANNEL_NS" delete pod -l app=flannel --wait=false >/dev/null 2>&1 || true
  rm -f "$RUN/overlay-dirty"
  wait_for 60 "flannel pods back" flannel_running
}

flannel_running() { # every node has a Ready flannel pod that is not being deleted
  local ready
  ready=$(kc -n "$FLANNEL_NS" get pods -l app=flannel -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}{.status.containerStatuses[?(@.name=="kube-flannel")].ready}{"\n"}{end}' 2>/dev/null | grep -cx true)
  [ "$ready" = "$LAB_NODES" ]
}

cmd_reset() {
  need_root
  local t0 ts n; t0=$(date +%s.%N)
  rstep() { ts=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'); log "  reset +${ts}s: $*"; }
  [ -e "$NETNS_PATH" ] || die "lab is not up"
  # 1. restart anything a scenario stopped
  local d p
  # thaw anything a scenario froze with SIGSTOP
  for d in $(all_daemons) api-proxy; do p=$(pid_of "$d") && kill -CONT "$p" 2>/dev/null || true; done
  for d in etcd kube-apiserver; do pid_of "$d" >/dev/null || die "$d is not running; use 'lab.sh up --fresh'"; done
  for n in $NODES; do use_node "$n"; pid_of "containerd$DSUF" >/dev/null || die "containerd on $n is not running; use 'lab.sh up --fresh'"; done
  on_cp
  pid_of api-proxy >/dev/null || start_api_proxy
  start_cm_sched
  for n in $NODES; do
    use_node "$n"
    pid_of "kubelet$DSUF" >/dev/null || start_kubelet
    start_kube_proxy; start_kube_router
  done
  on_cp
  restore_overlay
  rstep "components running"
  # 2. delete namespaces that scenarios added
  local extra=() ns
  for ns in $(kc get ns -o jsonpath='{.items[*].metadata.name}'); do
    grep -qw -- "$ns" <<<"$BASE_NS" || extra+=("$ns")
  done
  if [ ${#extra[@]} -gt 0 ]; then
    log "deleting namespaces: ${extra[*]}"
    kc delete ns "${extra[@]}" --wait=false >/dev/null 2>&1 || true
    for ns in "${extra[@]}"; do kc -n "$ns" delete pods --all --grace-period=0 --force >/dev/null 2>&1 || true; done
  fi
  # 3. delete objects scenarios added to the baseline namespaces
  local sel='k8snet-lab/baseline!=true'
  # independent deletes, run concurrently (each kubectl costs a start-up and a discovery read)
  local bg=()
  for ns in payments orders production default; do
    { kc -n "$ns" delete deploy,sts,ds,job,svc,netpol,ingress,cm,secret -l "$sel" --ignore-not-found --wait=false \
        --field-selector 'metadata.name!=kube-root-ca.crt,metadata.name!=kubernetes' >/dev/null 2>&1 || true
      kc -n "$ns" delete pods -l "$sel" --grace-period=0 --force --ignore-not-found >/dev/null 2>&1 || true; } &
    bg+=($!)
  done
  { kc delete netpol -n traefik -l "$sel" --ignore-not-found >/dev/null 2>&1 || true; } & bg+=($!)
  # Gateway API objects scenarios added (routes, grants, gateways, classes)
  if kc get crd httproutes.gateway.networking.k8s.io >/dev/null 2>&1; then
    for ns in payments orders production default traefik; do
      { kc -n "$ns" delete httproutes.gateway.networking.k8s.io,grpcroutes.gateway.networking.k8s.io,referencegrants.gateway.networking.k8s.io,gateways.gateway.networking.k8s.io \
          -l "$sel" --ignore-not-found --wait=false >/dev/null 2>&1 || true; } &
      bg+=($!)
    done
    { kc delete gatewayclasses.gateway.networking.k8s.io -l "$sel" --ignore-not-found --wait=false >/dev/null 2>&1 || true; } & bg+=($!)
  fi
  # IngressClasses scenarios added (cluster-scoped: 40's class nginx outlived it and turned 95's
  # "class does not exist" into "class exists"); traefik's comes from manifests/20-traefik.yaml
  { kc delete ingressclasses.networking.k8s.io --field-selector 'metadata.name!=traefik' --ignore-not-found >/dev/null 2>&1 || true; } & bg+=($!)
  { kc delete netpol -n kube-system --all --ignore-not-found >/dev/null 2>&1 || true; } & bg+=($!)
  for n in $NODES; do
    { kc uncordon "$n" >/dev/null 2>&1 || true
      [ "$LAB_NODES" = 1 ] || kc label node "$n" "$KR_OFF_LABEL-" >/dev/null 2>&1 || true; } &
    bg+=($!)
  done
  wait "${bg[@]}"
  rstep "scenario objects deleted"
  local f
  # 4. re-apply the world (restores scaled-down CoreDNS, edited Corefile, ...).
  # First a full PUT of every existing non-Pod object: it strips fields a
  # scenario added with patch/edit/apply (extra labels, a second probe
  # handler, args, ...) that a 3-way-merge apply would keep or choke on.
  # Then apply creates whatever a scenario deleted. Pods are immutable and
  # are only re-created when missing.
  { for f in $(system_files); do render "$f"; echo "---"; done
    for f in "$LAB_DIR"/baseline/*.yaml; do grep -q '^kind: Pod$' "$f" || { render "$f"; echo "---"; }; done
  } | kc replace --save-config -f - >/dev/null 2>&1 || true
  reapply_world
  rstep "baseline re-applied"
  # 5. wait until healthy
  wait_for 60 "node Ready" all_nodes_ready
  wait_system
  rstep "system apps ready"
  wait_baseline
  rstep "baseline ready"
  if [ ${#extra[@]} -gt 0 ]; then
    for ns in "${extra[@]}"; do kc wait --for=delete "ns/$ns" --timeout=60s >/dev/null 2>&1 || true; done
  fi
  rstep "extra namespaces gone"
  wait_for 30 "DNS + service path" timeout 10 "$KUBECTL" --kubeconfig "$ADMIN_KC" -n orders exec deploy/orders-api -c toolbox -- \
    timeout 5 wget -q -O /dev/null http://payments-api.payments.svc.cluster.local/health
  rstep "service path verified"
  log "reset done in ${ts}s"
}

# component_nodes [NODE]: the nodes a stop/start acts on (all of them when no node is given)
component_nodes() {
  if [ -n "${1:-}" ]; then use_node "$1"; echo "$1"; on_cp; else echo "$NODES"; fi
}

cmd_stop_component() {
  need_root
  local c=${1:-} n nodes
  nodes=$(component_nodes "${2:-}") || exit 1
  case "$c" in
    kube-proxy)
      for n in $nodes; do
        use_node "$n"
        stop_daemons KILL "kube-proxy$DSUF"
        # what a dead kube-proxy looks like after a node reboot: none of its
        # iptables rules exist (kube-proxy --cleanup removes them and exits)
        in_ns "$BIN/kube-proxy" --cleanup >> "$LOGS/kube-proxy$DSUF.log" 2>&1 || true
      done ;;
    kube-router)
      for n in $nodes; do
        use_node "$n"
        if [ "$LAB_NODES" = 1 ]; then stop_daemons KILL "kube-router$DSUF"
        else
          kc label node "$n" "$KR_OFF_LABEL=true" --overwrite >/dev/null
          kc -n kube-system wait --for=delete pod -l k8s-app=kube-router --field-selector "spec.nodeName=$n" --timeout=30s >/dev/null 2>&1 || true
        fi
        # like a rebooted node whose enforcer never came back: no policy rules.
        # (kube-router --cleanup-config panics without IPVS, so do it here:
        # rewrite the filter table without kube-router's chains, then drop its ipsets.)
        in_ns iptables-save -t filter | grep -vE 'KUBE-ROUTER-|KUBE-POD-FW-|KUBE-NWPLCY-' | in_ns iptables-restore -T filter
        local set
        for set in $(in_ns ipset list -n | grep -E '^KUBE-(DST|SRC)-'); do in_ns ipset destroy "$set" 2>/dev/null || true; done
      done ;;
    kubelet) for n in $nodes; do use_node "$n"; stop_daemon "kubelet$DSUF"; done ;;
    flannel) # like a node whose flanneld crash-loops after a reboot: no VXLAN device, no routes to the other nodes
      [ "$LAB_NODES" = 2 ] || die "flannel runs only in the two-node layout"
      [ -n "${2:-}" ] || die "usage: lab.sh stop-component flannel NODE"
      touch "$RUN/overlay-dirty" "$RUN/flannel/disabled.$2"
      kc -n "$FLANNEL_NS" delete pod -l app=flannel --field-selector "spec.nodeName=$2" --wait=true --timeout=30s >/dev/null 2>&1 || true
      use_node "$2"; in_ns ip link del flannel.1 2>/dev/null || true ;;
    coredns) kc -n kube-system scale deploy/coredns --replicas=0 >/dev/null
             kc -n kube-system wait --for=delete pod -l k8s-app=kube-dns --timeout=30s >/dev/null 2>&1 || true ;;
    traefik) kc -n traefik scale deploy/traefik --replicas=0 >/dev/null
             kc -n traefik wait --for=delete pod -l app.kubernetes.io/name=traefik --timeout=30s >/dev/null 2>&1 || true ;;
    *) die "usage: lab.sh stop-component kube-proxy|kube-router|kubelet|coredns|traefik|flannel [NODE]" ;;
  esac
  on_cp
  log "stopped $c${2:+ on $2}"
}

cmd_start_component() {
  need_root
  local c=${1:-} n nodes
  nodes=$(component_nodes "${2:-}") || exit 1
  case "$c" in
    kube-proxy) for n in $nodes; do use_node "$n"; start_kube_proxy; done ;;
    kube-router) for n in $nodes; do use_node "$n"; start_kube_router; [ "$LAB_NODES" = 1 ] || kc label node "$n" "$KR_OFF_LABEL-" >/dev/null 2>&1 || true; done
                 [ "$LAB_NODES" = 1 ] || wait_kube_router_ds ;;
    kubelet) for n in $nodes; do use_node "$n"; start_kubelet; wait_for 60 "node Ready ($n)" node_ready "$n"; done ;;
    flannel) [ "$LAB_NODES" = 2 ] || die "flannel runs only in the two-node layout"
             rm -f "$RUN"/flannel/disabled.${2:-*}
             kc -n "$FLANNEL_NS" delete pod -l app=flannel ${2:+--field-selector "spec.nodeName=$2"} --wait=false >/dev/null 2>&1 || true
             wait_for 60 "flannel pods back" flannel_running ;;
    coredns) kc -n kube-system scale deploy/coredns --replicas="$(coredns_replicas)" >/dev/null
             kc -n kube-system rollout status deploy/coredns --timeout=60s >/dev/null ;;
    traefik) kc -n traefik scale deploy/traefik --replicas=1 >/dev/null
             kc -n traefik rollout status deploy/traefik --timeout=60s >/dev/null ;;
    *) die "usage: lab.sh start-component kube-proxy|kube-router|kubelet|coredns|traefik|flannel [NODE]" ;;
  esac
  on_cp
  log "started $c${2:+ on $2}"
}

# node-mtu NODE MTU: NODE's underlay link takes frames of at most MTU bytes, like a NIC with that
# MTU: ul0's MTU is set, and what arrives bigger is dropped without ICMP. (A veth alone does not
# enforce the receiver's MTU on the GSO packets VXLAN hands it, so a length rule on ul0 does what a
# real NIC would.) The other node still sends full-size VXLAN packets (flannel.1 MTU 1450 + 50), so
# small requests to NODE's pods pass and large ones stall: an MTU black hole towards NODE.
cmd_node_mtu() {
  need_root
  [ "$LAB_NODES" = 2 ] || die "node-mtu needs the two-node layout"
  [ $# = 2 ] && [[ $2 =~ ^[0-9]{3,4}$ ]] && [ "$2" -ge 576 ] && [ "$2" -le 1500 ] || die "usage: lab.sh node-mtu NODE MTU (576..1500)"
  use_node "$1"; touch "$RUN/overlay-dirty"
  in_ns ip link set ul0 mtu "$2"
  # raw PREROUTING: before conntrack and before the filter chains kube-router keeps re-inserting at
  # the top of INPUT/FORWARD (an ACCEPT there would let the packets through)
  in_ns iptables -t raw -N K8SNET-LAB-MTU 2>/dev/null || in_ns iptables -t raw -F K8SNET-LAB-MTU
  in_ns iptables -t raw -C PREROUTING -j K8SNET-LAB-MTU 2>/dev/null || in_ns iptables -t raw -I PREROUTING 1 -j K8SNET-LAB-MTU
  [ "$2" -lt 1500 ] && in_ns iptables -t raw -A K8SNET-LAB-MTU -i ul0 -m length --length "$(( $2 + 1 )):65535" -j DROP
  on_cp; log "MTU of $1's underlay (ul0) set to $2; larger frames arriving there are dropped"
}

# drop-overlay NODE route|fdb: remove NODE's overlay state towards every other node (the routes via
# flannel.1, or the VXLAN forwarding entries), as when a CNI agent lost its state.
cmd_drop_overlay() {
  need_root
  [ "$LAB_NODES" = 2 ] || die "drop-overlay needs the two-node layout"
  [ $# = 2 ] || die "usage: lab.sh drop-overlay NODE route|fdb"
  use_node "$1"; touch "$RUN/overlay-dirty"
  case "$2" in
    route) in_ns ip -4 route show dev flannel.1 | while read -r dst _; do in_ns ip route del "$dst" dev flannel.1; done ;;
    fdb) in_ns bridge fdb show dev flannel.1 | awk '$2=="dst"{print $1}' | sort -u | while read -r mac; do in_ns bridge fdb del "$mac" dev flannel.1; done ;;
    *) die "usage: lab.sh drop-overlay NODE route|fdb" ;;
  esac
  on_cp; log "dropped $2 entries of flannel.1 on $1"
}

# isolate-pod NODE IP: drop what other nodes send to pod IP on NODE (arriving through the overlay),
# while the node itself (kubelet probes) still reaches it: a replica nobody else can reach.
cmd_isolate_pod() {
  need_root
  [ "$LAB_NODES" = 2 ] || die "isolate-pod needs the two-node layout"
  [ $# = 2 ] && [[ $2 =~ ^10\.244\.[0-9]+\.[0-9]+$ ]] || die "usage: lab.sh isolate-pod NODE POD_IP (a 10.244.x.y pod address)"
  use_node "$1"; touch "$RUN/overlay-dirty"
  # raw PREROUTING, like node-mtu: kube-router re-inserts its FORWARD chain (with ACCEPTs) at the top
  # on every sync, which let the packets past a FORWARD rule (scenario 204 flaked in CI)
  in_ns iptables -t raw -N K8SNET-LAB-ISOLATE 2>/dev/null || true
  in_ns iptables -t raw -C PREROUTING -j K8SNET-LAB-ISOLATE 2>/dev/null || in_ns iptables -t raw -I PREROUTING 1 -j K8SNET-LAB-ISOLATE
  in_ns iptables -t raw -A K8SNET-LAB-ISOLATE -i flannel.1 -d "$2" -j DROP
  on_cp; log "packets from other nodes to $2 on $1 are dropped"
}

cmd_proxy_rules() { # every node's nat table, each block headed by "# node NAME" (read-only)
  need_root
  local n
  for n in $NODES; do use_node "$n"; echo "# node $n"; in_ns iptables-save -t nat; done
}

cmd_nodes() { # one line per node: name IP netns
  local n
  for n in $NODES; do use_node "$n"; echo "$n $NODE_IP $NETNS"; done
}

# allow `. lab.sh` for debugging without dispatching a command
[ "${BASH_SOURCE[0]}" = "$0" ] || return 0

# one mutating command at a time per instance (the lock file lives in the kept cache dir)
case "${1:-}" in
  build)
    mkdir -p "$CACHE_ROOT"; exec 9>"$BUILD_LOCK"
    flock -w 600 9 || die "another lab.sh command holds $BUILD_LOCK" ;;
  up|down|reset|stop-component|start-component|node-mtu|drop-overlay|isolate-pod)
    mkdir -p "$CACHE_ROOT"; exec 9>"$LAB_LOCK"
    flock -w 600 9 || die "another lab.sh command holds $LAB_LOCK" ;;
esac

case "${1:-}" in
  build) shift; need_root; bash "$LAB_DIR/build.sh" "$@" 2>&1 | tee -a "$CACHE_ROOT/build.log" ;;
  up) shift; cmd_up "$@" ;;
  down) cmd_down ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  env) cmd_env ;;
  selftest) bash "$LAB_DIR/selftest.sh" ;;
  stop-component) shift; cmd_stop_component "$@" ;;
  start-component) shift; cmd_start_component "$@" ;;
  node-mtu) shift; cmd_node_mtu "$@" ;;
  drop-overlay) shift; cmd_drop_overlay "$@" ;;
  isolate-pod) shift; cmd_isolate_pod "$@" ;;
  nodes) cmd_nodes ;;
  proxy-rules) cmd_proxy_rules ;;
  *) echo "usage: lab.sh build|up [--fresh]|down|status|reset|env|selftest|stop-component <c> [node]|start-component <c> [node]|node-mtu <node> <mtu>|drop-overlay <node> route|fdb|isolate-pod <node> <ip>|nodes|proxy-rules" >&2; exit 2 ;;
esac
