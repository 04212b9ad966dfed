set -euo pipefail
bash "$LAB" stop-component kubelet
