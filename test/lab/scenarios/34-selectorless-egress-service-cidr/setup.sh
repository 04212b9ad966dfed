# The manual EndpointSlice of legacy-payments: every ready payments-api pod IP, port 8080. Owned by
# the Service, so the lab reset (which deletes the Service) garbage-collects it.
set -euo pipefail
"$KUBECTL" -n payments wait --for=condition=Ready pod -l app=payments-api --timeout=60s >/dev/null
ips=$("$KUBECTL" -n payments get pod -l app=payments-api -o jsonpath='{range .items[*]}{.status.podIP}{"\n"}{end}')
svc_uid=$("$KUBECTL" -n payments get service legacy-payments -o jsonpath='{.metadata.uid}')
endpoints=""
for ip in $ips; do endpoints="$endpoints  - {addresses: [\"$ip\"], conditions: {ready: true}}"$'\n'; done
"$KUBECTL" apply -f - <<YAML
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata:
  name: legacy-payments-manual
  namespace: payments
  labels: {kubernetes.io/service-name: legacy-payments}
  ownerReferences:
  - {apiVersion: v1, kind: Service, name: legacy-payments, uid: "$svc_uid"}
addressType: IPv4
ports:
- {port: 8080, protocol: TCP}
endpoints:
$endpoints
YAML
