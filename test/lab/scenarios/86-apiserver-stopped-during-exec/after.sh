pid=$(cat "${K8SNET_LAB_RUN:-/run/k8snet-lab}/pids/kube-apiserver.pid")
kill -CONT "$pid" || true
