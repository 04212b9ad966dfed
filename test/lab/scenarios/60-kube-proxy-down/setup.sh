set -euo pipefail
bash "$LAB" stop-component kube-proxy
