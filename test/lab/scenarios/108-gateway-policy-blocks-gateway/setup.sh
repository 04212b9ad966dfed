set -euo pipefail
"$KUBECTL" -n payments delete networkpolicy allow-gateway-to-payments
