set -euo pipefail
set -- $K8SNET_LAB_NODE_NAMES
# a curl source on the first node (the echo server answers "/" with JSON that repeats the path, so a
# 2000-character path is a response larger than one packet)
"$KUBECTL" apply -f - <<YAML
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: mtu, labels: {app: client}}
spec:
  nodeName: $1
  terminationGracePeriodSeconds: 1
  containers:
  - name: netshoot
    image: lab.local/netshoot:v1
    imagePullPolicy: Never
    command: [/bin/sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
YAML
"$KUBECTL" -n mtu wait --for=condition=Ready pod/client --timeout=90s >/dev/null
"$KUBECTL" -n mtu rollout status deploy/web --timeout=90s >/dev/null
[ "${SCENARIO_MTU:-lower}" = lower ] || exit 0
# frames arriving at the source's node larger than 1400 bytes are dropped: full-size VXLAN packets
# from the other node (responses) die, requests leave fine
bash "$LAB" node-mtu "$1" 1400
