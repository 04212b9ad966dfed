set -euo pipefail
bash "$LAB" stop-component kube-router
"$KUBECTL" -n payments delete networkpolicy allow-orders-to-payments
