set -euo pipefail
"$KUBECTL" -n production patch httproute api-route --type=json -p '[{"op":"replace","path":"/spec/parentRefs/0/sectionName","value":"websecure"}]'
