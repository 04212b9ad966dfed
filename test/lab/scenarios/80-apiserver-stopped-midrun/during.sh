# Freeze the API server shortly after k8snet started; after.sh thaws it.
pid=$(cat "${K8SNET_LAB_RUN:-/run/k8snet-lab}/pids/kube-apiserver.pid")
sleep 0.3
kill -STOP "$pid"
