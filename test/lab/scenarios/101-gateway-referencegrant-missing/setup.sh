set -euo pipefail
"$KUBECTL" -n payments delete referencegrant allow-production-routes
