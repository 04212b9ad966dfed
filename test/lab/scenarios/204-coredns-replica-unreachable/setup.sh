set -euo pipefail
set -- $K8SNET_LAB_NODE_NAMES
ip=$("$KUBECTL" -n kube-system get pods -l k8s-app=kube-dns --field-selector "spec.nodeName=$2" -o jsonpath='{.items[0].status.podIP}')
bash "$LAB" isolate-pod "$2" "$ip"
