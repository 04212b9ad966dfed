set -euo pipefail
set -- $K8SNET_LAB_NODE_NAMES
bash "$LAB" node-mtu "$2" 1400
