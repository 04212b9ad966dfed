#!/usr/bin/env bash
# Self-test of the lab's baseline world. Prints PASS/FAIL with timings per
# check; exits non-zero when any check fails.
set -uo pipefail
LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
. "$LAB_DIR/VERSIONS"
. "$LAB_DIR/lib.sh"

kc() { "$KUBECTL" --kubeconfig "$ADMIN_KC" "$@"; }
FAILS=0
now() { date +%s.%N; }
check() { # check <name> <cmd...>
  local name=$1; shift
  local t0 out rc dt
  t0=$(now)
  out=$("$@" 2>&1); rc=$?
  dt=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.2f", b-a}')
  if [ $rc = 0 ]; then
    printf 'PASS  %-58s %6ss\n' "$name" "$dt"
  else
    printf 'FAIL  %-58s %6ss\n' "$name" "$dt"
    printf '      %s\n' "${out//$'\n'/$'\n'      }" | head -n 15
    FAILS=$((FAILS + 1))
  fi
}
retry() { # retry <seconds> <cmd...>: for checks that depend on async rule sync
  local end=$((SECONDS + $1)); shift
  until "$@"; do [ $SECONDS -ge $end ] && return 1; sleep 1; done
}

# Every probe is bounded twice: busybox `timeout` inside the container (the
# busybox wget -T option segfaults) and coreutils `timeout` around kubectl.
orders_tb() { timeout 15 "$KUBECTL" --kubeconfig "$ADMIN_KC" -n orders exec deploy/orders-api -c toolbox -- timeout 5 "$@"; }
debug() { timeout 15 "$KUBECTL" --kubeconfig "$ADMIN_KC" -n payments exec debug-pod -c netshoot -- timeout 6 "$@"; }

PAY_IP=$(kc -n payments get pod -l app=payments-api -o jsonpath='{.items[0].status.podIP}')
PROD_PAY_IP=$(kc -n production get pod -l app=payments-api -o jsonpath='{.items[0].status.podIP}')
PAY_SVC=$(kc -n payments get svc payments-api -o jsonpath='{.spec.clusterIP}')
TRAEFIK_SVC=$(kc -n traefik get svc traefik -o jsonpath='{.spec.clusterIP}')

t_nslookup() {
  local out; out=$(orders_tb nslookup payments-api.payments.svc.cluster.local) || { echo "$out"; return 1; }
  grep -q "$PAY_SVC" <<<"$out" || { echo "expected $PAY_SVC in: $out"; return 1; }
}
t_dig() {
  local a; a=$(debug dig +short +time=2 +tries=1 @"$DNS_IP" kube-dns.kube-system.svc.cluster.local) || return 1
  [ "$a" = "$DNS_IP" ] || { echo "dig answered '$a'"; return 1; }
}
t_clusterip() {
  local out; out=$(orders_tb wget -q -O - http://payments-api.payments.svc.cluster.local/health) || { echo "$out"; return 1; }
  [ "$out" = ok ] || { echo "body: $out"; return 1; }
}
t_allow_podip() {
  local out; out=$(orders_tb wget -q -O - "http://$PAY_IP:8080/health") || { echo "$out"; return 1; }
  [ "$out" = ok ]
}
t_deny() { # must time out: curl exit 28
  local rc
  debug curl -sS -m 3 -o /dev/null "http://$PAY_IP:8080/health"; rc=$?
  [ $rc = 28 ] || { echo "expected curl timeout (28), got exit $rc"; return 1; }
}
t_control() { # same client, unprotected namespace: must work (so the deny above is policy)
  [ "$(debug curl -sS -m 3 "http://$PROD_PAY_IP:8080/health")" = ok ]
}
t_deny_svc() {
  local rc
  debug curl -sS -m 3 -o /dev/null "http://$PAY_SVC/health"; rc=$?
  [ $rc = 28 ] || { echo "expected curl timeout (28), got exit $rc"; return 1; }
}
t_ingress_status() {
  local ip; ip=$(kc -n production get ingress api-ingress -o jsonpath='{.status.loadBalancer.ingress[0].ip}')
  [ "$ip" = "$NODE_IP" ] || { echo "status.loadBalancer.ingress ip='$ip'"; return 1; }
}
code() { debug curl -s -m 5 -o /dev/null -w '%{http_code}' -H "Host: $1" "http://$TRAEFIK_SVC$2"; }
t_ingress_payments() { local c; c=$(code api.example.com /payments/health); [ "$c" = 200 ] || { echo "HTTP $c"; return 1; }; }
t_ingress_orders() {
  local b; b=$(debug curl -s -m 5 -H "Host: api.example.com" "http://$TRAEFIK_SVC/orders/x")
  grep -q '"path":"/orders/x"' <<<"$b" || { echo "body: $b"; return 1; }
}
t_ingress_unknown() { local c; c=$(code unknown.example.com /payments/health); [ "$c" = 404 ] || { echo "HTTP $c"; return 1; }; }
t_readonly() {
  "$KUBECTL" --kubeconfig "$STATE/readonly.kubeconfig" -n payments get pods >/dev/null &&
    ! "$KUBECTL" --kubeconfig "$STATE/readonly.kubeconfig" -n payments get secrets >/dev/null 2>&1
}
t_audit() { [ -s "$STATE/audit.log" ] && grep -q '"level":"Metadata"' "$STATE/audit.log"; }

echo "---- self-test"
check "DNS: nslookup payments-api.payments via CoreDNS (orders toolbox)" retry 10 t_nslookup
check "DNS: dig kube-dns.kube-system @10.96.0.10 (debug-pod)" retry 10 t_dig
check "ClusterIP: orders -> payments-api.payments/health" retry 10 t_clusterip
check "NetworkPolicy allow: orders-api -> payments pod IP:8080" retry 10 t_allow_podip
check "NetworkPolicy deny: debug-pod -> payments pod IP:8080 times out" retry 8 t_deny
check "NetworkPolicy deny: debug-pod -> payments ClusterIP times out" t_deny_svc
check "control: debug-pod -> production/payments-api pod works" retry 10 t_control
check "Ingress admitted: status.loadBalancer.ingress = node IP" retry 10 t_ingress_status
check "Ingress: Host api.example.com /payments/health -> 200" retry 10 t_ingress_payments
check "Ingress: Host api.example.com /orders/x routed to orders-api" retry 10 t_ingress_orders
check "Ingress: unknown Host -> 404" retry 10 t_ingress_unknown
check "RBAC: readonly user lists pods, cannot read secrets" t_readonly
check "audit log written at Metadata level" t_audit
# Two nodes: every payments-api replica (one per node) and every CoreDNS replica answers from
# orders-api, so both the same-node and the cross-node (VXLAN) path work.
if [ "$LAB_NODES" = 2 ]; then
  t_spread() { # t_spread <ns> <selector> <want>: one Running pod per node
    local nodes; nodes=$(kc -n "$1" get pods -l "$2" --field-selector=status.phase=Running -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u | wc -l)
    [ "$nodes" = "$3" ] || { echo "$1 $2: pods on $nodes node(s), want $3"; return 1; }
  }
  t_each_payments() {
    local ip node
    while read -r ip node; do
      [ "$(orders_tb wget -q -O - "http://$ip:8080/health")" = ok ] || { echo "payments pod $ip on $node did not answer"; return 1; }
    done < <(kc -n payments get pods -l app=payments-api -o jsonpath='{range .items[*]}{.status.podIP} {.spec.nodeName}{"\n"}{end}')
  }
  t_each_coredns() {
    local ip node out
    while read -r ip node; do
      out=$(debug dig +short +time=2 +tries=1 @"$ip" kube-dns.kube-system.svc.cluster.local) || { echo "CoreDNS $ip on $node: dig failed"; return 1; }
      [ "$out" = "$DNS_IP" ] || { echo "CoreDNS $ip on $node answered '$out'"; return 1; }
    done < <(kc -n kube-system get pods -l k8s-app=kube-dns -o jsonpath='{range .items[*]}{.status.podIP} {.spec.nodeName}{"\n"}{end}')
  }
  check "two nodes: payments-api has one pod per node" t_spread payments app=payments-api 2
  check "two nodes: CoreDNS has one pod per node" t_spread kube-system k8s-app=kube-dns 2
  check "two nodes: orders -> every payments pod IP (same node + VXLAN)" retry 10 t_each_payments
  check "two nodes: debug-pod -> every CoreDNS pod IP" retry 10 t_each_coredns
fi
if [ $FAILS = 0 ]; then echo "self-test: all checks passed"; else echo "self-test: $FAILS check(s) FAILED"; fi
exit $((FAILS > 0))
