set -euo pipefail
set -- $K8SNET_LAB_NODE_NAMES
bash "$LAB" stop-component flannel "$2"
# let the new flannel pod on that node fail at least once (CrashLoopBackOff with a previous run)
for i in $(seq 1 40); do
  r=$("$KUBECTL" -n kube-flannel get pods -l app=flannel --field-selector "spec.nodeName=$2" -o jsonpath='{.items[0].status.containerStatuses[?(@.name=="kube-flannel")].restartCount}' 2>/dev/null || true)
  [ -n "$r" ] && [ "$r" -ge 1 ] && break
  sleep 1
done
