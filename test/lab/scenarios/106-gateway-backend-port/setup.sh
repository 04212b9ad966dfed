set -euo pipefail
"$KUBECTL" -n production patch httproute api-route --type=json -p '[{"op":"replace","path":"/spec/rules/0/backendRefs/0/port","value":8080}]'
