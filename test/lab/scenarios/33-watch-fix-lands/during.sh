# The fix lands while k8snet watches: after the first round has seen the fault, restore the allow
# rule from the baseline. k8snet must notice within a few rounds (kube-router programs the rule).
set -euo pipefail
sleep 8
"$KUBECTL" apply -f "$(dirname "$LAB")/baseline/40-netpol.yaml" >/dev/null
