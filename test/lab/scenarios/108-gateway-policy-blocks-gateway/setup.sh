set -euo pipefail
# Both baseline policies that admit Traefik's pods into payments (the Ingress one and the Gateway one)
"$KUBECTL" -n payments delete networkpolicy allow-gateway-to-payments allow-traefik-to-payments --ignore-not-found
