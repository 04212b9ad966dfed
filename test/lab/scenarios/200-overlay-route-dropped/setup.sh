set -euo pipefail
set -- $K8SNET_LAB_NODE_NAMES
# orders-api (the source) runs on the first node; drop that node's routes to the other node's pods
bash "$LAB" drop-overlay "$1" route
