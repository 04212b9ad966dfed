set -euo pipefail
"$KUBECTL" -n production patch httproute api-route --type=merge -p '{"spec":{"hostnames":["api.example.org"]}}'
