# Same cluster and CA as the admin kubeconfig, but a bearer token the API server does not know.
set -euo pipefail
"$KUBECTL" config view --raw --minify > /tmp/k8snet-e2e-badcreds.kubeconfig
KUBECONFIG=/tmp/k8snet-e2e-badcreds.kubeconfig "$KUBECTL" config set-credentials bad --token=k8snet-e2e-not-a-valid-token >/dev/null
KUBECONFIG=/tmp/k8snet-e2e-badcreds.kubeconfig "$KUBECTL" config set-context --current --user=bad >/dev/null
