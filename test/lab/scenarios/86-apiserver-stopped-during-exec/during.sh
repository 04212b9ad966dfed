# Freeze the API server as soon as k8snet's inspection shell runs in the source pod (its argv
# carries the detection marker), polled every 10 ms for up to 20 s; after.sh thaws it.
pid=$(cat "${K8SNET_LAB_RUN:-/run/k8snet-lab}/pids/kube-apiserver.pid")
for _ in $(seq 1 2000); do
  if pgrep -f k8snet-detect-v1 >/dev/null; then
    kill -STOP "$pid"
    exit 0
  fi
  sleep 0.01
done
echo "during.sh: k8snet's shell never started in the source pod" >&2
