# Freeze the API server as soon as it has upgraded k8snet's first exec into the source pod: the
# audit log records that exec's ResponseStarted stage (the log backend writes it before the stream
# carries anything). By then every read is in. Waits at most 20 s; after.sh thaws the server.
pid=$(cat "${K8SNET_LAB_RUN:-/run/k8snet-lab}/pids/kube-apiserver.pid")
audit=${K8SNET_LAB_AUDIT_LOG:-/var/lib/k8snet-lab/audit.log}
pattern='"stage":"ResponseStarted","requestURI":"/api/v1/namespaces/orders/pods/[^"/]*/exec\?[^"]*k8snet-detect-v1'
exec 3< <(exec timeout 20 tail -n0 -F "$audit" 2>/dev/null)
tail_pid=$!
if grep -m1 -q -E "$pattern" <&3; then
  kill -STOP "$pid"
else
  echo "during.sh: no exec into the source pod reached the audit log" >&2
fi
kill "$tail_pid" 2>/dev/null || true
