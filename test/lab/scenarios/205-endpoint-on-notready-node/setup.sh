set -euo pipefail
set -- $K8SNET_LAB_NODE_NAMES
bash "$LAB" stop-component kubelet "$2"
# node-monitor-grace-period is 20 s; then the pods on it are marked not Ready
for i in $(seq 1 60); do
  s=$("$KUBECTL" get node "$2" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')
  p=$("$KUBECTL" -n payments get pods -l app=payments-api --field-selector "spec.nodeName=$2" -o jsonpath='{.items[0].status.conditions[?(@.type=="Ready")].status}')
  [ "$s" != True ] && [ "$p" = False ] && exit 0
  sleep 1
done
echo "node $2 did not go NotReady in 60 s" >&2; exit 1
