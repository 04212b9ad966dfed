printf 'apiVersion: v1\nclusters: [ {name: x, cluster: {server: "https://127.0.0.1:6443"\n  :::: not yaml\n' > /tmp/k8snet-e2e-garbage.kubeconfig
