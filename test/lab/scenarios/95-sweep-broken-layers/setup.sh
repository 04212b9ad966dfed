# Wait until stock's pod runs (it never becomes Ready, by design).
set -euo pipefail
for i in $(seq 1 60); do
  "$KUBECTL" -n sweep-shop get pods -l app=stock -o jsonpath='{.items[*].status.phase}' | grep -q Running && exit 0
  sleep 1
done
echo "the stock pod did not start" >&2; exit 1
