set -euo pipefail
set -- $K8SNET_LAB_NODE_NAMES
bash "$LAB" stop-component kube-proxy "$1"
