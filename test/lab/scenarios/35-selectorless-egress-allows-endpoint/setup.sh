# The manual EndpointSlice of legacy-payments (every ready payments-api pod IP, port 8080, owned by
# the Service) and an egress policy that allows exactly those addresses (ipBlock /32 each) plus DNS.
set -euo pipefail
"$KUBECTL" -n payments wait --for=condition=Ready pod -l app=payments-api --timeout=60s >/dev/null
ips=$("$KUBECTL" -n payments get pod -l app=payments-api -o jsonpath='{range .items[*]}{.status.podIP}{"\n"}{end}')
svc_uid=$("$KUBECTL" -n payments get service legacy-payments -o jsonpath='{.metadata.uid}')
endpoints=""; blocks=""
for ip in $ips; do
  endpoints="$endpoints  - {addresses: [\"$ip\"], conditions: {ready: true}}"$'\n'
  blocks="$blocks    - ipBlock: {cidr: \"$ip/32\"}"$'\n'
done
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
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: orders-egress-endpoints
  namespace: orders
spec:
  podSelector:
    matchLabels: {app: orders-api}
  policyTypes: [Egress]
  egress:
  - to:
$blocks    ports:
    - {protocol: TCP, port: 8080}
  - to:
    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: kube-system}
      podSelector:
        matchLabels: {k8s-app: kube-dns}
    ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
YAML
