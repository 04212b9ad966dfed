set -euo pipefail
"$KUBECTL" -n production delete service payments-api
