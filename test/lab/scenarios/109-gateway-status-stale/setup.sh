set -euo pipefail
# Take away Traefik's update on the Gateway API status subresources (the last rule of its ClusterRole;
# the test op makes the patch fail loudly if the rule moved), then change the route's spec.
"$KUBECTL" patch clusterrole traefik-ingress-controller --type=json \
  -p '[{"op":"test","path":"/rules/7/resources/2","value":"httproutes/status"},{"op":"remove","path":"/rules/7"}]'
sleep 2
"$KUBECTL" -n production patch httproute api-route --type=json \
  -p '[{"op":"add","path":"/spec/rules/0/matches/-","value":{"path":{"type":"PathPrefix","value":"/pay"}}}]'
