set -euo pipefail
"$KUBECTL" -n kube-system scale deployment coredns --replicas=0
"$KUBECTL" -n kube-system wait --for=delete pod -l k8s-app=kube-dns --timeout=60s || true
