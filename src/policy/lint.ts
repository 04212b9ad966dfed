// Lints: remarks about policies that never change a verdict (OR vs AND, service port, selects nothing, DNS).

import type { NetworkPolicy, NetworkPolicyPeer, Pod } from '../model/k8s.js';
import { resolvePeer, type Knowledge } from './callers.js';
import { isFlowAllowed, policyRef } from './evaluate.js';
import { templatePod } from './resolve.js';
import { matchesSelector } from '../util/selector.js';
import type { Flow, Lint, Party, Protocol, Verdict } from './types.js';
import { type WorldIndex } from './world-index.js';
import { podNamespace } from '../util/pod.js';

/** Two peers, one namespaceSelector-only and one podSelector-only: OR where AND was likely meant. */
export function lintOrInsteadOfAnd(p: NetworkPolicy): Lint[] {
  const out: Lint[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = (p.spec[dir] ?? []) as { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[] }[];
    rules.forEach((rule, i) => {
      const peers = (dir === 'ingress' ? rule.from : rule.to) ?? [];
      if (peers.length !== 2) return;
      const nsOnly = peers.findIndex((x) => x.namespaceSelector && !x.podSelector && !x.ipBlock);
      const podOnly = peers.findIndex((x) => x.podSelector && !x.namespaceSelector && !x.ipBlock);
      if (nsOnly < 0 || podOnly < 0) return;
      const field = dir === 'ingress' ? 'from' : 'to';
      out.push({
        code: 'or-instead-of-and',
        policy: policyRef(p),
        path: `spec.${dir}[${i}].${field}`,
        message: `spec.${dir}[${i}].${field} has two items, a namespaceSelector and a podSelector: that is OR (any pod of those namespaces, or those pods of ${p.metadata.namespace ?? 'default'}). For AND, put both selectors in ONE item (no "-" before podSelector).`,
      });
    });
  }
  return out;
}

/** A policy port equal to the Service port but not the targetPort: policies see the pod's port. */
export function lintServicePort(p: NetworkPolicy, servicePort: number, targetPort: number): Lint[] {
  if (servicePort === targetPort) return [];
  const out: Lint[] = [];
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = (p.spec[dir] ?? []) as { ports?: { port?: number | string }[] }[];
    rules.forEach((rule, i) => {
      (rule.ports ?? []).forEach((pp, j) => {
        if (pp.port === servicePort || pp.port === String(servicePort)) {
          out.push({
            code: 'service-port-not-target-port',
            policy: policyRef(p),
            path: `spec.${dir}[${i}].ports[${j}]`,
            message: `port ${servicePort} is the Service port, but NetworkPolicy sees the pod's port after DNAT: targetPort ${targetPort}. Use port: ${targetPort} (or the container port's name).`,
          });
        }
      });
    });
  }
  return out;
}

/** A policy whose podSelector matches no pod of its namespace. */
export function lintSelectsNothing(idx: WorldIndex, p: NetworkPolicy): Lint | undefined {
  const ns = p.metadata.namespace ?? 'default';
  const sel = p.spec?.podSelector ?? {};
  if (idx.selectPods(ns, sel).length > 0) return undefined;
  // Offline manifests often hold workloads, not pods: their templates count as the pods they make.
  if (idx.world.workloads.some((w) => (w.metadata.namespace ?? 'default') === ns && matchesSelector(sel, templatePod(w).metadata.labels))) return undefined;
  return {
    code: 'selects-nothing',
    policy: policyRef(p),
    path: 'spec.podSelector',
    message: `policy ${ns}/${p.metadata.name} selects no pod in namespace ${ns}: it has no effect`,
  };
}

/** Stand-in for CoreDNS when the world has no kube-dns pods (manifests rarely include kube-system). */
const STAND_IN_DNS_POD: Pod = {
  metadata: { name: 'kube-dns (stand-in)', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
  spec: {
    containers: [
      {
        name: 'coredns',
        ports: [
          { name: 'dns', containerPort: 53, protocol: 'UDP' },
          { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
        ],
      },
    ],
  },
};

/** The kube-dns pods the world knows (k8s-app=kube-dns in kube-system), or a labelled stand-in. */
export function dnsPods(idx: WorldIndex): { pods: Pod[]; standIn: boolean } {
  const pods = idx.selectPods('kube-system', { matchLabels: { 'k8s-app': 'kube-dns' } });
  return pods.length > 0 ? { pods, standIn: false } : { pods: [STAND_IN_DNS_POD], standIn: true };
}

/** Egress default-deny that blocks UDP or TCP 53 to kube-dns. Returns the blocked protocols. */
export function dnsBlockedProtocols(idx: WorldIndex, src: Pod, pods: Pod[]): Protocol[] {
  if (src.spec?.hostNetwork || idx.selectingPolicies(src, 'egress').length === 0) return [];
  const blocked: Protocol[] = [];
  for (const proto of ['UDP', 'TCP'] as const) {
    const allowedToAll = pods.every((d) => isFlowAllowed(idx, { kind: 'pod', pod: src }, { kind: 'pod', pod: d }, 53, proto));
    if (!allowedToAll) blocked.push(proto);
  }
  return blocked;
}

export function lintDnsEgress(idx: WorldIndex, src: Party): Lint | undefined {
  if (src.kind !== 'pod') return undefined;
  const { pods, standIn } = dnsPods(idx);
  const blocked = dnsBlockedProtocols(idx, src.pod, pods);
  if (blocked.length === 0) return undefined;
  const names = idx
    .selectingPolicies(src.pod, 'egress')
    .map((p) => p.metadata.name)
    .join(', ');
  return {
    code: 'dns-egress-blocked',
    message: `egress of ${podNamespace(src.pod)}/${src.pod.metadata.name} (policies: ${names}) blocks ${blocked.join(' and ')} 53 to kube-dns${standIn ? ' (judged against a k8s-app=kube-dns pod in kube-system; none was loaded)' : ''}: name lookups will fail. Add an egress rule to namespace kube-system, pods k8s-app=kube-dns, ports UDP 53 and TCP 53.`,
  };
}

/** Every lint relevant to one verdict. `targetPort` is flow.port. */
export function lintVerdict(idx: WorldIndex, flow: Flow, verdict: Verdict): Lint[] {
  const out: Lint[] = [];
  const involved = new Map<string, NetworkPolicy>();
  if (flow.src.kind === 'pod') for (const p of idx.selectingPolicies(flow.src.pod, 'egress')) involved.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
  if (flow.dst.kind === 'pod') for (const p of idx.selectingPolicies(flow.dst.pod, 'ingress')) involved.set(`${p.metadata.namespace}/${p.metadata.name}`, p);
  for (const p of involved.values()) {
    out.push(...lintOrInsteadOfAnd(p));
    if (flow.servicePort !== undefined) out.push(...lintServicePort(p, flow.servicePort, flow.port));
  }
  const dns = lintDnsEgress(idx, flow.src);
  if (dns) out.push(dns);
  if (idx.world.enforced === false && idx.world.policies.length > 0) {
    out.push({
      code: 'not-enforced',
      message: 'the CNI of this cluster does not enforce NetworkPolicy: this verdict is what the policies say, not what the network does (all traffic flows)',
    });
  }
  for (const [role, p] of [
    ['source', flow.src],
    ['destination', flow.dst],
  ] as const) {
    if (p.kind === 'pod' && p.pod.spec?.hostNetwork) {
      out.push({
        code: 'host-network',
        message: `the ${role} ${podNamespace(p.pod)}/${p.pod.metadata.name} uses the host network: most CNIs do not apply NetworkPolicy to it as a target`,
      });
    }
  }
  for (const n of [...verdict.egress.notes, ...verdict.ingress.notes]) {
    if (n.includes('implementation-dependent')) out.push({ code: 'ipblock-contains-pod-ip', message: n });
  }
  return out;
}

/**
 * Peers that match nothing that exists: a namespaceSelector no namespace satisfies, a podSelector
 * no pod matches. Only claimed where the namespaces and their pods were all read (`know`).
 */
export function lintPeersMatchNothing(idx: WorldIndex, p: NetworkPolicy, know: Knowledge): Lint[] {
  const out: Lint[] = [];
  const ns = p.metadata.namespace ?? 'default';
  for (const dir of ['ingress', 'egress'] as const) {
    const rules = (p.spec[dir] ?? []) as { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[] }[];
    rules.forEach((rule, r) => {
      const field = dir === 'ingress' ? 'from' : 'to';
      (rule[field] ?? []).forEach((peer, i) => {
        if (peer.ipBlock || (!peer.namespaceSelector && !peer.podSelector)) return;
        const x = resolvePeer(idx, p, r, i, peer, know);
        if (x.everyone || x.pods > 0 || x.unread.length > 0) return;
        const nsHit = peer.namespaceSelector ? idx.namespaceNames().filter((n) => matchesSelector(peer.namespaceSelector!, idx.namespaceLabels(n))) : [ns];
        const why =
          peer.namespaceSelector && nsHit.length === 0
            ? `no namespace has the labels its namespaceSelector wants`
            : `its podSelector matches no pod in ${nsHit.length === 1 ? `namespace ${nsHit[0]}` : `namespaces ${nsHit.join(', ')}`}`;
        out.push({
          code: 'peer-matches-nothing',
          policy: policyRef(p),
          path: `spec.${dir}[${r}].${field}[${i}]`,
          message: `${ns}/${p.metadata.name} spec.${dir}[${r}].${field}[${i}] (${x.peer}) matches nothing: ${why}, so this peer ${dir === 'ingress' ? 'admits' : 'allows'} no traffic (a typo, or clients scaled to zero?)`,
        });
      });
    });
  }
  return out;
}
