set -euo pipefail
"$KUBECTL" -n payments delete networkpolicy allow-orders-to-payments
