// NetworkPolicy on the hop Gateway API adds: the Gateway's data-plane pods -> the target's
// backend pods, on the pod port the backendRef's Service port forwards to. Judged by the same
// policy engine (src/policy) as step 4: egress of the gateway pods' namespace, ingress of the
// backend's. A policy list that could not be read makes the verdict unknown, never allowed.

import type { Facts } from '../../model/facts.js';
import type { Finding, Status } from '../../model/finding.js';
import type { GatewayRoute } from '../../model/gateway-api.js';
import type { Pod, ServicePort } from '../../model/k8s.js';
import { evaluateFlow } from '../../policy/evaluate.js';
import { explainVerdict } from '../../policy/explain.js';
import { worldFromFacts } from '../../policy/from-facts.js';
import { resolveNamedPort } from '../../policy/ports.js';
import { suggestAllowRule } from '../../policy/suggest.js';
import type { Flow, Protocol } from '../../policy/types.js';
import { WorldIndex } from '../../policy/world-index.js';
import { nextForUnread } from '../lib/read.js';
import { podNamespace } from '../../util/pod.js';
import { backendRefsOf, isGatewayParent, isServiceRef, parentRefsOf } from '../../gateway/routes.js';
import { detectCni } from '../cni.js';
import { isPodReady } from '../../util/pod.js';
import { gf, routeName, routeSubject } from './lib.js';

function targetPortOn(pod: Pod, sp: ServicePort): number | undefined {
  const tp = sp.targetPort ?? sp.port;
  if (typeof tp === 'number') return tp;
  if (/^\d+$/.test(tp)) return Number(tp);
  return resolveNamedPort(pod, tp, (sp.protocol ?? 'TCP').toUpperCase() as Protocol);
}

export function checkGatewayHop(facts: Facts, route: GatewayRoute): Finding[] {
  const gw = facts.gateway;
  if (!gw || facts.service.state !== 'ok') return [];
  const t = facts.request.target;
  const subject = routeSubject(route);
  const svcPorts = facts.service.value.spec.ports ?? [];
  const ports = [
    ...new Set(
      backendRefsOf(route)
        .filter((b) => isServiceRef(b) && b.namespace === t.namespace && b.name === t.name && b.weight > 0 && b.port !== undefined)
        .map((b) => b.port!),
    ),
  ]
    .map((p) => svcPorts.find((sp) => sp.port === p))
    .filter((sp): sp is ServicePort => sp !== undefined);
  if (ports.length === 0) return [];
  const planes = parentRefsOf(route)
    .filter(isGatewayParent)
    .map((p) => gw.dataPlanes[`${p.namespace}/${p.name}`])
    .filter((d) => d !== undefined);
  const gwPods = new Map<string, Pod>();
  for (const d of planes) if (d.pods.state === 'ok') for (const p of d.pods.value.filter(isPodReady)) gwPods.set(`${podNamespace(p)}/${p.metadata.name}`, p);
  if (gwPods.size === 0) return [];
  const cni = detectCni(facts);
  const fw = worldFromFacts(facts, cni.enforcesPolicy);
  const gwNamespaces = [...new Set([...gwPods.values()].map(podNamespace))];
  const unread = [
    ...fw.unreadable
      .filter((u) => u.what.includes(`namespace ${t.namespace}`) || u.what.startsWith('list namespaces'))
      .map((u) => ({ what: u.what, state: u.read.state })),
    ...gwNamespaces
      .filter((ns) => facts.policies[ns]?.state !== 'ok' && facts.policies[ns]?.state !== 'not-found')
      .map((ns) => ({ what: `list networkpolicies in namespace ${ns}`, state: facts.policies[ns]?.state ?? 'missing' })),
  ];
  const unreadable = unread.map((u) => u.what);
  if (unreadable.length > 0) {
    return [
      gf(
        'gateway/hop-unknown',
        'unknown',
        `NetworkPolicy verdict for the gateway pods -> ${t.namespace}/${t.name} is unknown: ${unreadable.join('; ')} could not be read`,
        unreadable,
        {
          subject,
          next: nextForUnread(
            unread.map((u) => u.state),
            'grant list on networkpolicies.networking.k8s.io and namespaces (see `k8snet rbac`)',
          ),
        },
      ),
    ];
  }
  if (fw.destinations.length === 0) return [];
  const idx = new WorldIndex({ ...fw.world, pods: [...fw.world.pods, ...[...gwPods.values()].filter((p) => !fw.world.pods.includes(p))] });
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const src of gwPods.values()) {
    for (const dst of fw.destinations) {
      for (const sp of ports) {
        const port = targetPortOn(dst, sp);
        if (port === undefined) continue;
        const protocol = (sp.protocol ?? 'TCP').toUpperCase() as Protocol;
        const flow: Flow = {
          src: { kind: 'pod', pod: src, origin: 'gateway data plane' },
          dst: { kind: 'pod', pod: dst },
          port,
          protocol,
          servicePort: sp.port,
        };
        const v = evaluateFlow(idx, flow);
        const sig = JSON.stringify([src.metadata.labels, podNamespace(src), dst.metadata.labels, port, v.allowed]);
        if (seen.has(sig)) continue;
        seen.add(sig);
        const from = `${podNamespace(src)}/${src.metadata.name}`;
        const to = `${podNamespace(dst)}/${dst.metadata.name}`;
        const evidence = explainVerdict(v);
        if (v.allowed) {
          out.push(
            gf('gateway/hop-allowed', 'pass', `NetworkPolicy allows gateway pod ${from} -> ${to} on ${protocol} ${port} (${routeName(route)})`, evidence, {
              subject: { kind: 'Pod', namespace: podNamespace(dst), name: dst.metadata.name },
            }),
          );
          continue;
        }
        const denying = [v.egress, v.ingress].filter((d) => !d.allowed).flatMap((d) => d.misses.map((m) => `${m.policy.namespace}/${m.policy.name}`));
        const status: Status = cni.enforcesPolicy === false ? 'warn' : 'fail';
        const suggestion = suggestAllowRule(flow, v);
        out.push(
          gf(
            'gateway/hop-denied',
            status,
            `NetworkPolicy blocks the Gateway's data plane: ${from} -> ${to} on ${protocol} ${port} is denied by ${[...new Set(denying)].join(', ')}, so ${routeName(route)} cannot reach its backend${status === 'warn' ? ` — but the CNI (${cni.name}) does not enforce NetworkPolicy` : ''}`,
            evidence,
            {
              subject: { kind: 'Pod', namespace: podNamespace(dst), name: dst.metadata.name },
              next: [...new Set(denying)].map((n) => `kubectl describe networkpolicy -n ${n.split('/')[0]} ${n.split('/')[1]}`),
              data: { verdict: v, ...(suggestion ? { suggestion } : {}) },
            },
          ),
        );
      }
    }
  }
  return out;
}
