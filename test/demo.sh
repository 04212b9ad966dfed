#!/usr/bin/env bash
# The demo (README): installs what is missing, boots the lab cluster (building it once), and runs
# k8snet against the seed's payments/orders world: healthy, then with the allow rule removed.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci --no-audit --no-fund --ignore-scripts
npm run build --silent
bash test/lab/lab.sh up
eval "$(bash test/lab/lab.sh env)"
k8snet() { node bin/k8snet.js "$@"; }
kc=(--kubeconfig "$K8SNET_LAB_READONLY_KUBECONFIG")

echo; echo "### 1. The healthy world: orders -> payments"
echo "\$ k8snet diagnose payments/payments-api --from orders/orders-api --path /health"
k8snet diagnose payments/payments-api --from orders/orders-api --path /health "${kc[@]}" || true

echo; echo "### 2. Someone deletes the allow rule (default-deny-ingress stays)"
"$K8SNET_LAB_KUBECTL" -n payments delete networkpolicy allow-orders-to-payments
sleep 3
echo "\$ k8snet diagnose payments/payments-api --from orders/orders-api --path /health --probe-timeout 2s"
k8snet diagnose payments/payments-api --from orders/orders-api --path /health --probe-timeout 2s "${kc[@]}" || true

echo; echo "### 3. The policy question on its own, with the smallest allow rule to review"
echo "\$ k8snet policy orders/orders-api payments/payments-api --port 80"
k8snet policy orders/orders-api payments/payments-api --port 80 "${kc[@]}" || true

bash test/lab/lab.sh reset >/dev/null
echo; echo "The lab cluster is still running (npm run lab:down stops it). KUBECONFIG=$KUBECONFIG"
