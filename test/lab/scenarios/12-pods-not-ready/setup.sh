# Point the readiness probe at a closed port and wait until the new pod exists and the old is gone.
set -euo pipefail
"$KUBECTL" -n payments patch deployment payments-api --type=json -p '[{"op":"replace","path":"/spec/template/spec/containers/0/readinessProbe","value":{"tcpSocket":{"port":9999},"periodSeconds":1,"failureThreshold":1}},{"op":"replace","path":"/spec/strategy","value":{"type":"Recreate"}}]'
for i in $(seq 1 60); do
  n=$("$KUBECTL" -n payments get pods -l app=payments-api -o jsonpath='{range .items[*]}{.metadata.deletionTimestamp}{"|"}{.status.phase}{"\n"}{end}' | grep -c '^|Running$' || true)
  total=$("$KUBECTL" -n payments get pods -l app=payments-api --no-headers 2>/dev/null | wc -l)
  [ "$n" -ge 1 ] && [ "$total" -eq "$n" ] && exit 0
  sleep 1
done
echo "the patched payments-api pod did not start" >&2; exit 1
