# The manual EndpointSlice of legacy/payments-alias: every ready payments-api pod IP (namespace
# payments), port 8080. The lab reset deletes the whole legacy namespace.
set -euo pipefail
"$KUBECTL" -n payments wait --for=condition=Ready pod -l app=payments-api --timeout=60s >/dev/null
ips=$("$KUBECTL" -n payments get pod -l app=payments-api -o jsonpath='{range .items[*]}{.status.podIP}{"\n"}{end}')
endpoints=""
for ip in $ips; do endpoints="$endpoints  - {addresses: [\"$ip\"], conditions: {ready: true}}"$'\n'; done
"$KUBECTL" apply -f - <<YAML
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: payments-alias-manual
  namespace: legacy
  labels: {kubernetes.io/service-name: payments-alias}
addressType: IPv4
ports:
- {port: 8080, protocol: TCP}
endpoints:
$endpoints
YAML
